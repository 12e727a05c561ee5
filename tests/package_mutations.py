"""Mutations of valid sync packages, and a judge of what the importer makes of them (SYNC_FORMAT §2–§3).

Shared by ``tests/sync/test_fuzz_packages.py`` (a few hundred examples, in CI) and
``bench/fuzz_packages.py`` (thousands). Nothing here imports pytest.

- ``build_world(root)`` makes the installations once: two chugoku laptops (A, A2), a kinki
  forum (B), the target secretariat (trusts A and A2 for chugoku, B for kinki, and already
  holds records of all of them, an open conflict included), and an observer (a kyushu forum
  that trusts the secretariat for every org: the "fresh installation" a re-export must satisfy).
  The valid packages mutated (``World.bases``) are A's and B's newest exports.
- A ``Mutation`` is plain data (family, case, JSON-serialisable params) so that hypothesis can
  shrink it and a failure can be replayed from its printed form (``Mutation.from_json``).
- ``craft(world, mutation)`` turns it into package bytes and what the contract expects:
  ``ACCEPT``, ``REJECT`` or ``EITHER`` (the contract does not decide; only "no crash" and, if
  accepted, the independent checks apply).
- ``World.judge(mutation)`` drives the real path (``sync.check_package`` then
  ``sync.import_checked``) and returns a ``Verdict``: ``rejected`` / ``accepted`` (fine), or one
  of ``crash``, ``accepted_forbidden``, ``accepted_broken``, ``rejected_allowed``,
  ``rejected_dirty`` (each a failure, with details).

"Accepted" is checked independently of the code under test: ``contract_problems`` re-implements
the §2 rules a package can be checked against without the domain model (names, members, JSON
strictness, numbers, text, identifiers, clocks, trust, owner changes, installation keys), the
target's database is read with ``sqlite3``, the target must still export, and its export must be
accepted by the observer.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import math
import random
import re
import sqlite3
import stat
import struct
import time
import traceback
import uuid
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import strategies as st

from helpers import dump

ACCEPT, REJECT, EITHER = "accept", "reject", "either"
OK_KINDS = ("accepted", "rejected")

MAX_SAFE = 2**53 - 1
MIB = 1024**2
DAY_MS = 24 * 3600 * 1000
CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HLC = re.compile(r"([0-9]{13})-([0-9]{5})-(.*)", re.DOTALL)
SURROGATE = re.compile(r"[\ud800-\udfff]")
RECORDS_PATH = re.compile(r"records/([a-z][a-z0-9_]*)\.jsonl")

# SYNC_FORMAT §4, written down here (not taken from the code under test).
CONTRACT_FIELDS: dict[str, frozenset[str]] = {
    "events": frozenset({"title", "event_type", "planned", "status", "held_from", "held_to", "venue", "description",
                         "series_no", "lg_codes", "participants", "counts_as_forum", "co_hosts"}),
    "pitch_presentations": frozenset({"event_id", "seed_id", "need_id", "order", "note"}),
    "needs": frozenset({"lg_code", "title", "facility_types", "requirements", "received_on", "survey", "status",
                        "contact"}),
    "seeds": frozenset({"company", "tech_name", "summary", "facility_types", "netis_no", "registered_on", "contact"}),
    "matchings": frozenset({"need_id", "seed_id", "pitch_event_id", "stages"}),
    "trials": frozenset({"title", "series_no", "lg_code", "matching_id", "need_id", "seed_id", "pitch_event_id",
                         "planned", "status", "held_from", "held_to", "result"}),
    "support_activities": frozenset({"kind", "on", "lg_code", "country", "note"}),
    "municipality_status": frozenset({"lg_code", "admin_member", "mayors_council", "as_of"}),
    "closed_tallies": frozenset({"fiscal_year", "closed_at", "closed_by", "source", "kpis", "note"}),
    "trusted_keys": frozenset({"public_key", "orgs", "label", "revoked_on"}),
    "kpi_targets": frozenset({"fiscal_year", "kpi", "target"}),
}
# Integer fields of §4 (an integer written with a fraction or exponent is refused there for sure;
# whether the rule also covers 50.0 in a `number` field such as kpi_targets.target is unclear).
INTEGER_FIELDS = frozenset({"series_no", "participants", "order", "fiscal_year"})
REFERENCE_FIELDS = ("event_id", "seed_id", "need_id", "pitch_event_id", "matching_id")
ENVELOPE = ("id", "owner", "hlc", "vv", "deleted", "data")
ORG_CODES = ("hokkaido", "tohoku", "kanto", "hokuriku", "chubu", "kinki", "chugoku", "shikoku", "kyushu", "okinawa",
             "innovative_tech", "overseas", "municipal_support", "engineer_training", "citizen", "planning", "pr",
             "mayors_council", "secretariat")


# ======================================================================================
# JSON text with what json.dumps cannot write
# ======================================================================================
# Values in mutation params may hold tagged dicts:
#   {"$raw": "1e3"}              the text as is (NaN, 1.0, 1e400, ...)
#   {"$pairs": [[k, v], ...]}    an object, keys possibly repeated
#   {"$rawstr": "hex"}           a string whose UTF-8 is replaced by these bytes (invalid UTF-8, NUL byte)


def encode(value: Any) -> str:
    """Compact JSON text; lone surrogates are written as \\u escapes; raw bytes via surrogateescape."""
    if isinstance(value, dict):
        if value.keys() == {"$raw"}:
            return str(value["$raw"])
        if value.keys() == {"$rawstr"}:
            return '"' + bytes.fromhex(value["$rawstr"]).decode("utf-8", "surrogateescape") + '"'
        pairs = value["$pairs"] if value.keys() == {"$pairs"} else list(value.items())
        return "{" + ",".join(_string(str(k)) + ":" + encode(v) for k, v in pairs) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode(v) for v in value) + "]"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, float) and not math.isfinite(value):
        return {math.inf: "Infinity", -math.inf: "-Infinity"}.get(value, "NaN")
    return json.dumps(value)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=SURROGATE.search(text) is not None)


def to_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def jbytes(value: Any) -> bytes:
    return to_bytes(encode(value))


# ======================================================================================
# Packages: taking apart and putting together
# ======================================================================================


@dataclass
class Base:
    """One valid package, taken apart."""

    name: str
    org: str
    raw: bytes
    key: Ed25519PrivateKey
    installation: str
    manifest: dict[str, Any]
    files: dict[str, list[bytes]]  # path -> lines (no "\n"), in manifest order

    @property
    def paths(self) -> list[str]:
        return list(self.files)

    def envelopes(self, path: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.files[path]]

    def live_lines(self) -> list[tuple[str, int]]:
        return [(p, i) for p in self.files for i, line in enumerate(self.files[p]) if not json.loads(line)["deleted"]]

    def all_lines(self) -> list[tuple[str, int]]:
        return [(p, i) for p in self.files for i in range(len(self.files[p]))]


def take_apart(name: str, org: str, raw: bytes, key: Ed25519PrivateKey) -> Base:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        files = {}
        for entry in manifest["files"]:
            body = zf.read(entry["path"])
            files[entry["path"]] = body.split(b"\n")[:-1]
    return Base(name, org, raw, key, manifest["origin"]["installation"], manifest, files)


def body(lines: Iterable[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def fix_entries(manifest: dict[str, Any], bodies: dict[str, bytes]) -> None:
    """Set sha256 and records of every manifest entry whose file is in ``bodies``."""
    for entry in manifest["files"]:
        data = bodies.get(entry["path"])
        if data is not None:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["records"] = len(data.split(b"\n")) - (1 if data.endswith(b"\n") or not data else 0)


def sign(key: Ed25519PrivateKey, manifest_bytes: bytes) -> bytes:
    return base64.b64encode(key.sign(manifest_bytes)) + b"\n"


def public_b64(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


Member = tuple["str | zipfile.ZipInfo", bytes]


def zip_members(members: list[Member], compression: int = zipfile.ZIP_DEFLATED, level: int | None = None,
                **kw: Any) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name" is sometimes the point
        with zipfile.ZipFile(buf, "w", compression=compression, compresslevel=level, **kw) as zf:
            for name, data in members:
                if isinstance(name, zipfile.ZipInfo):
                    zf.writestr(name, data)
                else:
                    info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 9, 30, 0))
                    info.compress_type = compression
                    info.create_system = 3
                    info.external_attr = (stat.S_IFREG | 0o644) << 16
                    zf.writestr(info, data, compress_type=compression, compresslevel=level)
    return buf.getvalue()


def pack(base: Base, *, bodies: dict[str, bytes] | None = None, manifest: Any = None,
         edit: Callable[[dict[str, Any]], Any] | None = None, key: Ed25519PrivateKey | None = None,
         manifest_bytes: bytes | None = None, signature: bytes | None = None, extra: list[Member] = (),
         compression: int = zipfile.ZIP_DEFLATED, fix: bool = True) -> bytes:
    """A package from ``base`` with some files replaced (hash and count fixed) and re-signed.

    ``edit(manifest)`` may change the manifest in place or return a replacement (tagged values allowed).
    """
    files = {p: body(lines) for p, lines in base.files.items()}
    files.update(bodies or {})
    m = copy.deepcopy(base.manifest) if manifest is None else manifest
    listed = {e["path"] for e in m.get("files", [])} if isinstance(m, dict) and isinstance(m.get("files"), list) else set()
    for path in files:
        if path not in listed and isinstance(m, dict) and isinstance(m.get("files"), list) and path not in base.files:
            m["files"].append({"path": path, "sha256": "", "records": 0})
    if fix and isinstance(m, dict):
        fix_entries(m, files)
    if edit is not None:
        replaced = edit(m)
        if replaced is not None:
            m = replaced
    if manifest_bytes is None:
        manifest_bytes = jbytes(m)
    if signature is None:
        signature = sign(key or base.key, manifest_bytes)
    members: list[Member] = [*files.items(), ("manifest.json", manifest_bytes), ("manifest.sig", signature), *extra]
    return zip_members(members, compression)


def with_line(base: Base, path: str, index: int, new: bytes | list[bytes], **kw: Any) -> bytes:
    lines = list(base.files[path])
    lines[index : index + 1] = new if isinstance(new, list) else [new]
    return pack(base, bodies={path: body(lines)}, **kw)


def with_envelope(base: Base, path: str, index: int, change: Callable[[dict[str, Any]], Any], **kw: Any) -> bytes:
    env = json.loads(base.files[path][index])
    replaced = change(env)
    return with_line(base, path, index, jbytes(env if replaced is None else replaced), **kw)


# --- zip layout, for byte-level surgery ----------------------------------------------------

_CD = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_EOCD = struct.Struct("<4s4H2LH")


@dataclass
class Entry:
    name: str
    central: int  # offset of its central-directory record
    central_len: int
    local: int  # offset of its local header
    local_len: int  # header + name + extra
    data_end: int


@dataclass
class Layout:
    entries: list[Entry]
    cd_start: int
    eocd: int
    size: int


def layout(raw: bytes) -> Layout:
    eocd = raw.rfind(b"PK\x05\x06")
    fields = _EOCD.unpack_from(raw, eocd)
    cd_start = fields[6]
    entries = []
    offset = cd_start
    while raw[offset : offset + 4] == b"PK\x01\x02":
        f = _CD.unpack_from(raw, offset)
        n, e, c = f[12], f[13], f[14]
        name = raw[offset + 46 : offset + 46 + n].decode("utf-8", "replace")
        local = f[18]
        lf = _LOCAL.unpack_from(raw, local)
        local_len = 30 + lf[9] + lf[10]
        entries.append(Entry(name, offset, 46 + n + e + c, local, local_len, local + local_len + f[10]))
        offset += 46 + n + e + c
    return Layout(entries, cd_start, eocd, len(raw))


def patch(raw: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(raw)
    struct.pack_into(fmt, out, offset, value & ((1 << (8 * struct.calcsize(fmt))) - 1))
    return bytes(out)


# ======================================================================================
# Mutations
# ======================================================================================


@dataclass(frozen=True)
class Mutation:
    family: str
    case: str
    params: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps({"family": self.family, "case": self.case, "params": self.params}, ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> Mutation:
        raw = json.loads(text)
        return cls(raw["family"], raw["case"], raw["params"])

    def __str__(self) -> str:
        text = self.to_json()
        return text if len(text) <= 400 else text[:400] + "…"


@dataclass
class Crafted:
    data: bytes
    expect: str
    why: str = ""


CRAFTERS: dict[tuple[str, str], Callable[[World, Base, dict[str, Any]], Crafted]] = {}
STRATEGIES: dict[str, list[st.SearchStrategy[Mutation]]] = {}


def case(family: str, name: str, /, **strategies: st.SearchStrategy[Any]):
    """Register a crafter and a strategy of its params (``base`` is always added)."""
    def register(fn: Callable[[World, Base, dict[str, Any]], Crafted]) -> Callable[..., Crafted]:
        CRAFTERS[(family, name)] = fn
        params = {"base": st.integers(0, 1), **strategies}
        STRATEGIES.setdefault(family, []).append(
            st.fixed_dictionaries(params).map(lambda p: Mutation(family, name, p))
        )
        return fn
    return register


def craft(world: World, m: Mutation) -> Crafted:
    base = world.bases[m.params.get("base", 0) % len(world.bases)]
    return CRAFTERS[(m.family, m.case)](world, base, m.params)


def pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)]


def det_uuid(*parts: Any) -> str:
    """A canonical UUID (version 4 form) derived from ``parts``: crafted packages are reproducible."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def _text(seed: int, length: int, alphabet: str) -> str:
    rng = random.Random(seed)
    return "".join(rng.choices(alphabet, k=length))


_CJK = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 3000))
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def variant(table: dict[str, Any]) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(table))


index = st.integers(0, 1000)

# JSON values the contract allows anywhere in data (what a later writer may add).
_safe_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
_safe_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(0, MAX_SAFE), _safe_text,
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
)
safe_json = st.recursive(
    _safe_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_safe_text, inner, max_size=4)),
    max_leaves=12,
)
field_name = st.from_regex(r"x_[a-z][a-z0-9_]{0,14}", fullmatch=True)


# --------------------------------------------------------------------------------------
# Family 1: raw bytes of the .jcimsync file
# --------------------------------------------------------------------------------------

REGIONS = ("anywhere", "local_header", "central_directory", "eocd", "member_data")


@case("bytes", "edit", region=st.sampled_from(REGIONS),
      op=st.sampled_from(("flip", "set", "insert", "delete", "truncate", "duplicate")),
      pos=st.integers(0, 10**6), value=st.integers(1, 255), count=st.integers(1, 64), seed=st.integers(0, 2**16))
def _bytes_edit(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    raw = base.raw
    lay = layout(raw)
    if p["region"] == "anywhere":
        spans = [(0, len(raw))]
    elif p["region"] == "local_header":
        spans = [(e.local, e.local + e.local_len) for e in lay.entries]
    elif p["region"] == "central_directory":
        spans = [(e.central, e.central + e.central_len) for e in lay.entries]
    elif p["region"] == "eocd":
        spans = [(lay.eocd, len(raw))]
    else:
        spans = [(e.local + e.local_len, e.data_end) for e in lay.entries if e.data_end > e.local + e.local_len]
    start, end = pick(spans, p["pos"])
    pos = start + (p["pos"] // len(spans)) % max(1, end - start)
    out = bytearray(raw)
    op, count = p["op"], p["count"]
    if op == "flip":
        out[pos] ^= p["value"]
    elif op == "set":
        out[pos] = p["value"] if out[pos] != p["value"] else (p["value"] ^ 0xFF)
    elif op == "insert":
        out[pos:pos] = random.Random(p["seed"]).randbytes(count)
    elif op == "delete":
        del out[pos : pos + count]
    elif op == "truncate":
        del out[pos:]
    else:
        out[pos:pos] = out[pos : pos + count]
    return Crafted(bytes(out), EITHER, f"{op} at {pos} ({p['region']})")


# --------------------------------------------------------------------------------------
# Family 2: zip structure
# --------------------------------------------------------------------------------------


def _members(base: Base) -> list[Member]:
    with zipfile.ZipFile(io.BytesIO(base.raw)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


@case("zip", "duplicate_member", which=index, same=st.booleans())
def _dup_member(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    members = _members(base)
    name, data = pick(members, p["which"])
    return Crafted(zip_members([*members, (name, data if p["same"] else data + b" ")]), REJECT)


EXTRA_NAMES = ("notes.txt", "README", "manifest.json.bak", "records/extra.txt", "records/sub/x.jsonl", "records/x.json",
               "records/x.JSONL", "mimetype", "Manifest.json", "manifest.json ", "records//events.jsonl",
               "./manifest.json", "records/events.jsonl/", "META-INF/MANIFEST.MF", "records/x.jsonl\x00.txt")


@case("zip", "extra_member", name=st.sampled_from(EXTRA_NAMES), size=st.integers(0, 3))
def _extra_member(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    content = [b"", b"{}\n", b"hello", _members(base)[0][1]][p["size"]]
    return Crafted(pack(base, extra=[(p["name"], content)]), REJECT)


UNSAFE_NAMES = ("../manifest.json", "records/../records/x.jsonl", "records/..", "..\\x.jsonl", "records\\needs.jsonl",
                "C:records/x.jsonl", "c:/x.jsonl", "C:\\x.jsonl", "/manifest.json", "/records/x.jsonl",
                "\\manifest.json", "records/..\\..\\x.jsonl", "records/x..jsonl", "records/a:b.jsonl")


@case("zip", "unsafe_name", name=st.sampled_from(UNSAFE_NAMES), rename=st.booleans(), which=index)
def _unsafe_name(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    members = _members(base)
    if p["rename"]:
        i = p["which"] % len(members)
        members[i] = (p["name"], members[i][1])
        return Crafted(zip_members(members), REJECT)
    return Crafted(zip_members([*members, (p["name"], pick(members, p["which"])[1])]), REJECT)


@case("zip", "directory_entry", name=st.sampled_from(("records/", "x/", "records/sub/", "manifest.json/")),
      dos=st.booleans())
def _directory(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    info = zipfile.ZipInfo(p["name"], date_time=(2024, 7, 1, 0, 0, 0))
    info.external_attr = ((stat.S_IFDIR | 0o755) << 16) | (0x10 if p["dos"] else 0)
    return Crafted(zip_members([*_members(base), (info, b"")]), REJECT)


FILE_KINDS = {"symlink": stat.S_IFLNK | 0o777, "directory": stat.S_IFDIR | 0o755, "fifo": stat.S_IFIFO | 0o644,
              "chardev": stat.S_IFCHR | 0o644, "socket": stat.S_IFSOCK | 0o644, "dos_directory": None}


@case("zip", "special_attr", kind=variant(FILE_KINDS), which=index, extra=st.booleans())
def _special_attr(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    members = _members(base)
    if p["extra"]:
        members.append(("records/linked.jsonl", b"../../etc/passwd"))
        i = len(members) - 1
    else:
        i = p["which"] % len(members)
    name, data = members[i]
    info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 0, 0, 0))
    info.create_system = 3
    mode = FILE_KINDS[p["kind"]]
    info.external_attr = ((stat.S_IFREG | 0o644) << 16 | 0x10) if mode is None else mode << 16
    members[i] = (info, data)
    return Crafted(zip_members(members), REJECT)


SIZE_FIELDS = {"central_compress_size": (20, "<L", "central"), "central_file_size": (24, "<L", "central"),
               "local_compress_size": (18, "<L", "local"), "local_file_size": (22, "<L", "local"),
               "central_crc": (16, "<L", "central"), "local_crc": (14, "<L", "local"),
               "local_name_length": (26, "<H", "local"), "local_extra_length": (28, "<H", "local")}
SIZE_VALUES = {"minus_one": -1, "plus_one": 1, "minus_100": -100, "plus_100": 100, "zero": "zero",
               "over_256MiB": 256 * MIB + 1, "max_u32": 2**32 - 1, "one": "one", "ratio_201": "ratio"}


@case("zip", "header_field", field=variant(SIZE_FIELDS), value=variant(SIZE_VALUES), which=index)
def _header_field(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    lay = layout(base.raw)
    entry = pick(lay.entries, p["which"])
    rel, fmt, where = SIZE_FIELDS[p["field"]]
    offset = (entry.central if where == "central" else entry.local) + rel
    (old,) = struct.unpack_from(fmt, base.raw, offset)
    with zipfile.ZipFile(io.BytesIO(base.raw)) as zf:
        info = zf.getinfo(entry.name)
    v = SIZE_VALUES[p["value"]]
    if v == "zero":
        new = 0
    elif v == "one":
        new = 1
    elif v == "ratio":
        new = max(0, info.file_size // 201) if "compress" in p["field"] else (info.compress_size * 201 + 1)
    elif abs(v) > 1000:
        new = v
    else:
        new = max(0, old + v)
    if new == old:
        new = old + 1
    data = patch(base.raw, offset, fmt, new)
    expect, why = EITHER, "a declared size or CRC that does not match"
    if p["field"] == "central_file_size" and new > 256 * MIB:
        expect, why = REJECT, "member over 256 MiB declared"
    elif p["field"] == "central_compress_size" and info.file_size and (new == 0 or info.file_size / new > 200):
        expect, why = REJECT, "declared ratio over 200"
    elif p["field"] == "central_file_size" and info.compress_size and new / info.compress_size > 200:
        expect, why = REJECT, "declared ratio over 200"
    return Crafted(data, expect, why)


COMPRESSIONS = {"stored": ACCEPT, "deflated_0": ACCEPT, "deflated_1": ACCEPT, "deflated_9": ACCEPT, "mixed": ACCEPT,
                "bzip2": REJECT, "lzma": REJECT}


@case("zip", "compression", mode=variant(COMPRESSIONS))
def _compression(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    members = _members(base)
    mode = p["mode"]
    if mode == "stored":
        data = zip_members(members, zipfile.ZIP_STORED)
    elif mode.startswith("deflated_"):
        data = zip_members(members, zipfile.ZIP_DEFLATED, int(mode[-1]))
    elif mode == "mixed":
        infos: list[Member] = []
        for i, (name, content) in enumerate(members):
            info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if i % 2 else zipfile.ZIP_DEFLATED
            infos.append((info, content))
        data = zip_members(infos)
    else:
        data = zip_members(members, zipfile.ZIP_BZIP2 if mode == "bzip2" else zipfile.ZIP_LZMA)
    return Crafted(data, COMPRESSIONS[mode], "SYNC_FORMAT §2: stored or deflated")


@case("zip", "ratio", pad=st.integers(1_000, 900_000), which=index)
def _ratio(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    line = base.files[path][i]
    padded = b"{" + b" " * p["pad"] + line[1:]
    data = with_line(base, path, i, padded)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(path)
    ratio = info.file_size / max(1, info.compress_size)
    return Crafted(data, REJECT if ratio > 200 else ACCEPT, f"ratio {ratio:.1f}")


@case("zip", "member_count", total=st.one_of(st.integers(60, 70), st.sampled_from((100, 200))))
def _member_count(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    existing = len(base.files) + 2
    bodies = {}
    for k in range(max(0, p["total"] - existing)):
        bodies[f"records/x_fuzz_{k:03d}.jsonl"] = body([jbytes(world.new_envelope(base, {"note": f"n{k}"}, (p, k)))])
    data = pack(base, bodies=bodies)
    total = existing + len(bodies)
    return Crafted(data, ACCEPT if total <= 64 else REJECT, f"{total} members")


@case("zip", "local_name_mismatch", which=index, pos=index)
def _local_name(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    entry = pick(layout(base.raw).entries, p["which"])
    offset = entry.local + 30 + p["pos"] % len(entry.name)
    out = bytearray(base.raw)
    out[offset] = ord("q") if out[offset] != ord("q") else ord("z")
    return Crafted(bytes(out), EITHER, "local header names another file than the central directory")


@case("zip", "overlap", which=index, other=index)
def _overlap(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    entries = layout(base.raw).entries
    a = p["which"] % len(entries)
    b = (a + 1 + p["other"] % (len(entries) - 1)) % len(entries)
    data = patch(base.raw, entries[a].central + 42, "<L", entries[b].local)
    return Crafted(data, REJECT, "two central entries point at one local header (DESIGN.md: overlapping entries)")


@case("zip", "encrypted_flag", where=st.sampled_from(("central", "both", "local")), which=index)
def _encrypted(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    entry = pick(layout(base.raw).entries, p["which"])
    out = bytearray(base.raw)
    if p["where"] in ("central", "both"):
        out[entry.central + 8] |= 1
    if p["where"] in ("local", "both"):
        out[entry.local + 6] |= 1
    return Crafted(bytes(out), EITHER if p["where"] == "local" else REJECT, "DESIGN.md: reject encrypted entries")


ENVELOPES_OF_ZIP = {"comment": EITHER, "prepended": EITHER, "appended": EITHER, "zip64": EITHER,
                    "data_descriptor": EITHER, "manifest_first": ACCEPT, "utf8_flag": EITHER}


@case("zip", "container", kind=variant(ENVELOPES_OF_ZIP), seed=st.integers(0, 2**16))
def _container(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    members = _members(base)
    junk = random.Random(p["seed"]).randbytes(1 + p["seed"] % 200)
    kind = p["kind"]
    if kind == "comment":
        buf = io.BytesIO(base.raw)
        with zipfile.ZipFile(buf, "a") as zf:
            zf.comment = junk[:100]
        data = buf.getvalue()
    elif kind == "prepended":
        data = junk + base.raw
    elif kind == "appended":
        data = base.raw + junk
    elif kind == "zip64":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in members:
                with zf.open(name, "w", force_zip64=True) as out:
                    out.write(content)
        data = buf.getvalue()
    elif kind == "data_descriptor":
        class Unseekable(io.RawIOBase):
            def __init__(self) -> None:
                self.buf = bytearray()

            def writable(self) -> bool:
                return True

            def write(self, b: Any) -> int:
                self.buf += bytes(b)
                return len(b)

        sink = Unseekable()
        with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in members:
                zf.writestr(name, content)
        data = bytes(sink.buf)
    elif kind == "manifest_first":
        data = zip_members(sorted(members, key=lambda m: not str(m[0]).startswith("manifest")))
    else:
        infos: list[Member] = []
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 0, 0, 0))
            info.flag_bits |= 0x800
            info.compress_type = zipfile.ZIP_DEFLATED
            infos.append((info, content))
        data = zip_members(infos)
    return Crafted(data, ENVELOPES_OF_ZIP[kind])


# --------------------------------------------------------------------------------------
# Family 3: manifest.json (re-signed with the real key)
# --------------------------------------------------------------------------------------

MANIFEST_FIELDS = {  # field -> expectation when dropped
    "format": REJECT, "format_version": REJECT, "package_id": REJECT, "created_at": REJECT, "origin": REJECT,
    "origin.org": REJECT, "origin.installation": REJECT, "origin.app_version": EITHER, "sequence": REJECT,
    "scope": REJECT, "public_key": REJECT, "files": REJECT, "includes_contacts": EITHER,
    "files[].path": REJECT, "files[].sha256": REJECT, "files[].records": REJECT,
}
RETYPES = {"null": None, "true": True, "zero": 0, "minus_one": -1, "float": 1.5, "string": "x", "list": [],
           "object": {}}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _locate(m: dict[str, Any], dotted: str, which: int) -> tuple[dict[str, Any], str]:
    if dotted.startswith("origin."):
        return m["origin"], dotted.split(".", 1)[1]
    if dotted.startswith("files[]."):
        return pick(m["files"], which), dotted.split(".", 1)[1]
    return m, dotted


@case("manifest", "drop_field", field=variant(MANIFEST_FIELDS), which=index)
def _drop_field(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    def edit(m: dict[str, Any]) -> None:
        obj, key = _locate(m, p["field"], p["which"])
        obj.pop(key, None)
    return Crafted(pack(base, edit=edit), MANIFEST_FIELDS[p["field"]])


def _retype_expect(dotted: str, old: Any, new: Any) -> str:
    key = dotted.split(".")[-1]
    if _json_type(old) != _json_type(new):
        if key == "includes_contacts" and new is None:
            return EITHER
        return MANIFEST_FIELDS[dotted]
    # The same JSON type, another value.
    if key == "sequence":
        return ACCEPT if type(new) is int and 0 <= new <= MAX_SAFE else REJECT
    if key == "records":
        return ACCEPT if new == old and type(new) is int else REJECT
    if key == "format_version":
        return ACCEPT if type(new) is int and new == 1 else REJECT
    if key == "app_version":
        return ACCEPT
    if key in ("created_at", "includes_contacts"):
        return EITHER
    return REJECT  # package_id, org, installation, scope, format, public_key, path, sha256 := "x"; origin/files emptied


@case("manifest", "retype_field", field=variant(MANIFEST_FIELDS), to=variant(RETYPES), which=index)
def _retype_field(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    obj, key = _locate(copy.deepcopy(base.manifest), p["field"], p["which"])
    new = RETYPES[p["to"]]
    expect = _retype_expect(p["field"], obj.get(key), new)

    def edit(m: dict[str, Any]) -> None:
        o, k = _locate(m, p["field"], p["which"])
        o[k] = copy.deepcopy(new)
    return Crafted(pack(base, edit=edit), expect)


@case("manifest", "unknown_field", where=st.sampled_from(("top", "origin", "files_entry")), name=field_name,
      value=safe_json, which=index)
def _unknown_manifest_field(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    def edit(m: dict[str, Any]) -> None:
        target = {"top": m, "origin": m["origin"]}.get(p["where"]) or pick(m["files"], p["which"])
        target[p["name"]] = copy.deepcopy(p["value"])
    return Crafted(pack(base, edit=edit), ACCEPT, "SYNC_FORMAT §2: unknown manifest fields are ignored")


SEQUENCES = {"0": (0, ACCEPT), "1": (1, ACCEPT), "2^53-1": (MAX_SAFE, ACCEPT), "2^53": (2**53, REJECT),
             "2^63-1": (2**63 - 1, REJECT), "2^63": (2**63, REJECT), "2^64": (2**64, REJECT),
             "10^100": (10**100, REJECT), "-1": (-1, REJECT), "-2^63": (-(2**63), REJECT),
             "12.0": ({"$raw": "12.0"}, REJECT), "1e3": ({"$raw": "1e3"}, REJECT), "1E2": ({"$raw": "1E2"}, REJECT),
             "12.5": (12.5, REJECT), "string": ("12", REJECT), "true": (True, REJECT), "null": (None, REJECT),
             "NaN": ({"$raw": "NaN"}, REJECT), "Infinity": ({"$raw": "Infinity"}, REJECT),
             "-Infinity": ({"$raw": "-Infinity"}, REJECT), "1e400": ({"$raw": "1e400"}, REJECT),
             "-0": ({"$raw": "-0"}, EITHER), "10^5000 digits": ({"$raw": "9" * 5000}, REJECT)}


@case("manifest", "sequence", value=variant(SEQUENCES))
def _sequence(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    value, expect = SEQUENCES[p["value"]]
    return Crafted(pack(base, edit=lambda m: m.__setitem__("sequence", value)), expect)


FORMAT_VERSIONS = {"1": (1, ACCEPT), "0": (0, REJECT), "2": (2, REJECT), "-1": (-1, REJECT),
                   "1.0": ({"$raw": "1.0"}, REJECT), "1e0": ({"$raw": "1e0"}, REJECT), "string": ("1", REJECT),
                   "true": (True, REJECT), "2^64": (2**64, REJECT), "null": (None, REJECT)}
FORMATS = {"jcimsync": ACCEPT, "JCIMSYNC": REJECT, "jcimsync ": REJECT, "": REJECT, "zip": REJECT}


@case("manifest", "format_version", value=variant(FORMAT_VERSIONS))
def _format_version(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    value, expect = FORMAT_VERSIONS[p["value"]]
    return Crafted(pack(base, edit=lambda m: m.__setitem__("format_version", value)), expect)


@case("manifest", "format", value=variant(FORMATS))
def _format(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    return Crafted(pack(base, edit=lambda m: m.__setitem__("format", p["value"])), FORMATS[p["value"]])


def uuid_variant(text: str, how: str) -> str:
    if how == "upper":
        return text.upper()
    if how == "braces":
        return "{" + text + "}"
    if how == "no_hyphens":
        return text.replace("-", "")
    if how == "urn":
        return "urn:uuid:" + text
    if how == "space":
        return text + " "
    if how == "one_upper":
        i = next((k for k, ch in enumerate(text) if ch in "abcdef"), None)
        return "{" + text + "}" if i is None else text[:i] + text[i].upper() + text[i + 1 :]
    if how == "not_uuid":
        return "x"
    if how == "fullwidth":
        return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    raise AssertionError(how)


ID_FORMS = ("upper", "braces", "no_hyphens", "urn", "space", "one_upper", "not_uuid", "fullwidth")
PACKAGE_IDS = {**{f: EITHER for f in ID_FORMS}, "not_uuid": REJECT, "fresh": ACCEPT}


@case("manifest", "package_id", how=variant(PACKAGE_IDS))
def _package_id(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    fresh = det_uuid(p, "package_id")
    value = fresh if p["how"] == "fresh" else uuid_variant(base.manifest["package_id"], p["how"])
    return Crafted(pack(base, edit=lambda m: m.__setitem__("package_id", value)), PACKAGE_IDS[p["how"]])


INSTALLATIONS = {**{f: REJECT for f in ID_FORMS}, "fresh": ACCEPT, "bound_to_other_key": REJECT}


@case("manifest", "installation", how=variant(INSTALLATIONS))
def _installation(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    how = p["how"]
    if how == "fresh":
        value = det_uuid(p, "installation")
    elif how == "bound_to_other_key":
        value = next(inst for inst, key in world.bindings.items() if key != public_b64(base.key))
    else:
        value = uuid_variant(base.installation, how)
    why = "SYNC_FORMAT §2: canonical origin.installation; an installation keeps its key"
    return Crafted(pack(base, edit=lambda m: m["origin"].__setitem__("installation", value)), INSTALLATIONS[how], why)


@case("manifest", "origin_org", value=st.sampled_from((*ORG_CODES, "unknown", "CHUGOKU", "", "all")))
def _origin_org(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    value = p["value"]
    expect = ACCEPT if value == base.org else (EITHER if value in ORG_CODES else REJECT)
    return Crafted(pack(base, edit=lambda m: m["origin"].__setitem__("org", value)), expect)


SCOPES = {"org": ACCEPT, "national": EITHER, "Org": REJECT, "": REJECT, "all": REJECT}


@case("manifest", "scope", value=variant(SCOPES))
def _scope(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    return Crafted(pack(base, edit=lambda m: m.__setitem__("scope", p["value"])), SCOPES[p["value"]])


CONTACT_FLAGS = {"true": (True, EITHER), "false": (False, EITHER), "string": ("false", REJECT), "zero": (0, REJECT),
                 "list": ([], REJECT)}


@case("manifest", "includes_contacts", value=variant(CONTACT_FLAGS))
def _includes_contacts(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    value, expect = CONTACT_FLAGS[p["value"]]
    if value is base.manifest.get("includes_contacts"):
        expect = ACCEPT
    return Crafted(pack(base, edit=lambda m: m.__setitem__("includes_contacts", value)), expect)


CREATED = {"iso": ("2024-07-01T09:30:00+09:00", ACCEPT), "date_only": ("2024-07-01", EITHER), "garbage": ("x", EITHER),
           "number": (0, REJECT), "null": (None, REJECT), "far_future": ("9999-12-31T23:59:59+00:00", EITHER),
           "nul": ("2024-07-01T09:30:00\u0000+09:00", REJECT), "surrogate": ("2024-07-01T09:30:00\ud800", REJECT)}


@case("manifest", "created_at", value=variant(CREATED))
def _created_at(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    value, expect = CREATED[p["value"]]
    return Crafted(pack(base, edit=lambda m: m.__setitem__("created_at", value)), expect)


BAD_TEXT = {  # text -> expectation where stored or a known field
    "nul": ("\u0000", REJECT), "nul_inside": ("a\u0000b", REJECT), "lone_high": ("\ud800", REJECT),
    "lone_low": ("\udc00", REJECT), "lone_inside": ("x\udbffy", REJECT), "reversed_pair": ("\udc00\ud800", REJECT),
    "valid_pair": ("\ud83d\ude00", ACCEPT), "emoji": ("😀", ACCEPT), "control": ("a\u0001\u001fb", EITHER),
    "noncharacter": ("\uffff\ufffe", EITHER), "bidi": ("\u202eabc", EITHER),
    "raw_invalid_utf8": ({"$rawstr": "61ff62"}, REJECT), "raw_cesu_surrogate": ({"$rawstr": "eda080"}, REJECT),
    "raw_overlong_nul": ({"$rawstr": "c080"}, REJECT), "raw_nul_byte": ({"$rawstr": "610062"}, REJECT),
    "raw_newline": ({"$rawstr": "610a62"}, REJECT),
}


@case("manifest", "app_version_text", text=variant(BAD_TEXT), unknown=st.booleans())
def _manifest_text(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    value, expect = BAD_TEXT[p["text"]]
    if p["unknown"]:
        # In a field this version ignores, the text rules are not plainly required (nothing is stored).
        expect = REJECT if str(p["text"]).startswith("raw_") else (ACCEPT if expect == ACCEPT else EITHER)

    def edit(m: dict[str, Any]) -> None:
        if p["unknown"]:
            m["x_note"] = value
        else:
            m["origin"]["app_version"] = value
    return Crafted(pack(base, edit=edit), expect)


DUP_PLACES = {"sequence": "top", "public_key": "top", "format_version": "top", "files": "top", "package_id": "top",
              "installation": "origin", "org": "origin", "records": "files", "sha256": "files", "path": "files",
              "x_unknown": "top"}


@case("manifest", "duplicate_key", key=variant(DUP_PLACES), order=st.sampled_from(("bogus_first", "bogus_last", "same")),
      which=index)
def _manifest_dup(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    key, order = p["key"], p["order"]

    def dup(obj: dict[str, Any]) -> dict[str, Any]:
        value = obj.get(key, 1)
        bogus = value if order == "same" else {"sequence": 99, "public_key": public_b64(world.untrusted_key),
                                               "format_version": 2, "files": [], "package_id": det_uuid(p, 1),
                                               "installation": det_uuid(p, 2), "org": "kinki", "records": 0,
                                               "sha256": "0" * 64, "path": "records/x.jsonl", "x_unknown": 2}[key]
        pairs = [[k, v] for k, v in obj.items()]
        if key not in obj:
            pairs.append([key, value])
        return {"$pairs": [[key, bogus], *pairs] if order == "bogus_first" else [*pairs, [key, bogus]]}

    def edit(m: dict[str, Any]) -> Any:
        place = DUP_PLACES[key]
        if place == "origin":
            m["origin"] = dup(m["origin"])
        elif place == "files":
            i = p["which"] % len(m["files"])
            m["files"][i] = dup(m["files"][i])
        else:
            return dup(m)
        return None
    return Crafted(pack(base, edit=edit), REJECT, "SYNC_FORMAT §2: duplicate keys in any JSON object")


MANIFEST_TEXT = {"compact": ACCEPT, "pretty": ACCEPT, "bom": EITHER, "leading_ws": ACCEPT, "trailing_garbage": REJECT,
                 "array": REJECT, "empty": REJECT, "invalid_utf8": REJECT, "utf16": REJECT, "crlf_pretty": ACCEPT,
                 "two_objects": REJECT, "nul_byte_after": REJECT}


@case("manifest", "text", how=variant(MANIFEST_TEXT))
def _manifest_whole_text(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    m = copy.deepcopy(base.manifest)
    fix_entries(m, {})
    compact = jbytes(m)
    how = p["how"]
    text = {
        "compact": compact, "pretty": json.dumps(m, ensure_ascii=False, indent=2).encode(),
        "bom": b"\xef\xbb\xbf" + compact, "leading_ws": b" \n\t" + compact, "trailing_garbage": compact + b"x",
        "array": b"[" + compact + b"]", "empty": b"", "invalid_utf8": compact[:-1] + b"\xff}",
        "utf16": json.dumps(m).encode("utf-16"), "crlf_pretty": json.dumps(m, indent=2).replace("\n", "\r\n").encode(),
        "two_objects": compact + compact, "nul_byte_after": compact + b"\x00",
    }[how]
    return Crafted(pack(base, manifest_bytes=text), MANIFEST_TEXT[how])


FILE_ENTRY = {"drop": REJECT, "add_missing": REJECT, "duplicate": REJECT, "path_change": REJECT, "sha_upper": EITHER,
              "sha_wrong": REJECT, "sha_short": REJECT, "count_plus": REJECT, "count_minus": REJECT,
              "count_negative": REJECT, "count_2^64": REJECT, "count_float": REJECT, "count_string": REJECT,
              "empty_list": REJECT, "not_list": REJECT, "entry_not_object": REJECT}


@case("manifest", "files_entry", how=variant(FILE_ENTRY), which=index)
def _files_entry(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    how = p["how"]

    def edit(m: dict[str, Any]) -> None:
        i = p["which"] % len(m["files"])
        e = m["files"][i]
        if how == "drop":
            del m["files"][i]
        elif how == "add_missing":
            m["files"].append({"path": "records/events_x.jsonl", "sha256": "0" * 64, "records": 1})
        elif how == "duplicate":
            m["files"].append(dict(e))
        elif how == "path_change":
            e["path"] = "records/renamed.jsonl"
        elif how == "sha_upper":
            e["sha256"] = e["sha256"].upper()
        elif how == "sha_wrong":
            e["sha256"] = hashlib.sha256(b"other").hexdigest()
        elif how == "sha_short":
            e["sha256"] = e["sha256"][:63]
        elif how == "count_plus":
            e["records"] += 1
        elif how == "count_minus":
            e["records"] -= 1
        elif how == "count_negative":
            e["records"] = -1
        elif how == "count_2^64":
            e["records"] = 2**64
        elif how == "count_float":
            e["records"] = {"$raw": f"{e['records']}.0"}
        elif how == "count_string":
            e["records"] = str(e["records"])
        elif how == "empty_list":
            m["files"] = []
        elif how == "not_list":
            m["files"] = {x["path"]: x for x in m["files"]}
        else:
            m["files"][i] = [e["path"], e["sha256"], e["records"]]
    return Crafted(pack(base, edit=edit), FILE_ENTRY[how])


SIGNERS = {"untrusted_key": REJECT, "other_org_key": REJECT, "key_sig_mismatch": REJECT, "garbage_key": REJECT,
           "key_newline": EITHER, "second_laptop_own_installation": ACCEPT, "second_laptop_claims_first": REJECT,
           "short_key": REJECT}


@case("manifest", "signer", how=variant(SIGNERS))
def _signer(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    how = p["how"]
    same_org_key, same_org_inst = world.sibling(base)
    other = next(b for b in world.bases if b.org != base.org)
    key: Ed25519PrivateKey = base.key
    edits: dict[str, Any] = {}
    if how == "untrusted_key":
        key = world.untrusted_key
        edits["public_key"] = public_b64(key)
    elif how == "other_org_key":
        key = other.key
        edits["public_key"] = public_b64(key)
    elif how == "key_sig_mismatch":
        edits["public_key"] = public_b64(other.key)
    elif how == "garbage_key":
        edits["public_key"] = "not base64!"
    elif how == "key_newline":
        edits["public_key"] = public_b64(base.key) + "\n"
    elif how == "short_key":
        edits["public_key"] = base64.b64encode(b"\x01" * 31).decode()
    elif how == "second_laptop_own_installation":
        key = same_org_key
        edits["public_key"] = public_b64(key)
        edits["installation"] = same_org_inst
    else:
        key = same_org_key
        edits["public_key"] = public_b64(key)

    def edit(m: dict[str, Any]) -> None:
        if "public_key" in edits:
            m["public_key"] = edits["public_key"]
        if "installation" in edits:
            m["origin"]["installation"] = edits["installation"]
    expect = SIGNERS[how]
    if how.startswith("second_laptop") and key is world.untrusted_key:
        expect = REJECT  # no second installation of this org is trusted at the target
    return Crafted(pack(base, edit=edit, key=key), expect)


SIGNATURES = {"flip": REJECT, "truncate": REJECT, "empty": REJECT, "no_newline": EITHER, "crlf": EITHER,
              "second_line": EITHER, "urlsafe": EITHER, "unpadded": EITHER, "of_other_bytes": REJECT,
              "spaces_inside": EITHER, "hex": REJECT, "doubled": REJECT}


@case("manifest", "signature", how=variant(SIGNATURES))
def _signature(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    m = copy.deepcopy(base.manifest)
    fix_entries(m, {})
    text = jbytes(m)
    raw_sig = base.key.sign(text)
    good = base64.b64encode(raw_sig)
    how = p["how"]
    if how == "urlsafe" and good == base64.urlsafe_b64encode(raw_sig):
        how = "no_newline"
    sig = {
        "flip": base64.b64encode(bytes([raw_sig[0] ^ 1]) + raw_sig[1:]) + b"\n", "truncate": good[:40] + b"\n",
        "empty": b"", "no_newline": good, "crlf": good + b"\r\n", "second_line": good + b"\nsecond\n",
        "urlsafe": base64.urlsafe_b64encode(raw_sig) + b"\n", "unpadded": good.rstrip(b"=") + b"\n",
        "of_other_bytes": base64.b64encode(base.key.sign(text + b" ")) + b"\n",
        "spaces_inside": good[:20] + b" " + good[20:] + b"\n", "hex": raw_sig.hex().encode() + b"\n",
        "doubled": good + good + b"\n",
    }[how]
    return Crafted(pack(base, manifest=m, fix=False, manifest_bytes=text, signature=sig), SIGNATURES[p["how"]])


@case("manifest", "bad_constant", token=st.sampled_from(("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "nan",
                                                          "inf", "undefined", "0x10", "+1", ".5", "01")),
      where=st.sampled_from(("sequence", "unknown_field", "origin_unknown")))
def _manifest_constant(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    raw = {"$raw": p["token"]}

    def edit(m: dict[str, Any]) -> None:
        if p["where"] == "sequence":
            m["sequence"] = raw
        elif p["where"] == "unknown_field":
            m["x_value"] = raw
        else:
            m["origin"]["x_value"] = raw
    # NaN, Infinity, 0x10, ... are not JSON. 1e400 is JSON syntax; as the sequence it is no integer,
    # in a manifest field this version ignores no rule of §2 speaks of it.
    finite_rule_silent = p["token"] in ("1e400", "-1e400") and p["where"] != "sequence"
    return Crafted(pack(base, edit=edit), EITHER if finite_rule_silent else REJECT, "not JSON, or not a finite number")


@case("manifest", "deep_nesting", depth=st.sampled_from((10, 100, 500, 1000, 5000, 100_000)),
      kind=st.sampled_from(("list", "object")))
def _manifest_nesting(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    depth = p["depth"]
    raw = {"$raw": ("[" * depth + "]" * depth) if p["kind"] == "list" else ('{"a":' * depth + "1" + "}" * depth)}
    return Crafted(pack(base, edit=lambda m: m.__setitem__("x_nested", raw)), ACCEPT if depth <= 100 else EITHER)


# --------------------------------------------------------------------------------------
# Family 4: record lines (re-hashed, re-counted, re-signed)
# --------------------------------------------------------------------------------------


def _line(world: World, base: Base, which: int, *, live: bool = False,
          entity: Iterable[str] | None = None) -> tuple[str, int]:
    """A line of ``base``: the records the target will store (new, or newer than its copy) come first,
    so that small indexes reach the database writes; the rest follow in file order."""
    choices = base.live_lines() if live else base.all_lines()
    if entity is not None:
        wanted = {f"records/{e}.jsonl" for e in entity}
        narrowed = [c for c in choices if c[0] in wanted]
        choices = narrowed or choices
    choices = sorted(choices, key=lambda c: not world.taken(json.loads(base.files[c[0]][c[1]])))
    return pick(choices, which)


@case("records", "drop_envelope_field", field=st.sampled_from(ENVELOPE), which=index)
def _drop_envelope(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    return Crafted(with_envelope(base, path, i, lambda e: e.pop(p["field"])), REJECT)


@case("records", "retype_envelope_field", field=st.sampled_from(ENVELOPE), to=variant(RETYPES), which=index)
def _retype_envelope(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    env = json.loads(base.files[path][i])
    new = RETYPES[p["to"]]
    if _json_type(env[p["field"]]) == _json_type(new) and p["field"] in ("vv", "data", "deleted"):
        new = "x"  # same type would not be a retype
    return Crafted(with_envelope(base, path, i, lambda e: e.__setitem__(p["field"], copy.deepcopy(new))), REJECT)


@case("records", "unknown_envelope_field", name=st.one_of(st.just("by"), field_name), value=safe_json, which=index)
def _unknown_envelope(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    value = p["value"]
    expect = ACCEPT
    if p["name"] == "by" and not isinstance(value, str):
        expect = EITHER  # "by" is a known optional field: a person's name
    return Crafted(with_envelope(base, path, i, lambda e: e.__setitem__(p["name"], copy.deepcopy(value))), expect,
                   "SYNC_FORMAT §2: unknown envelope fields are ignored")


@case("records", "unknown_data_field", name=field_name, value=safe_json, which=index, count=st.integers(1, 3))
def _unknown_data(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"], live=True)

    def change(e: dict[str, Any]) -> None:
        for k in range(p["count"]):
            e["data"][p["name"] + ("" if k == 0 else f"_{k}")] = copy.deepcopy(p["value"])
    return Crafted(with_envelope(base, path, i, change), ACCEPT,
                   "SYNC_FORMAT §2: unknown data fields are stored and written back unchanged")


@case("records", "owner", how=st.sampled_from(("other_org", "victim_id", "victim_both", "weird")),
      org=st.sampled_from(ORG_CODES), weird=st.sampled_from(("CHUGOKU", "", "chugoku ", "Chugoku", "all", "*")),
      which=index)
def _owner(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    how = p["how"]
    path, i = _line(world, base, p["which"])
    entity = RECORDS_PATH.fullmatch(path).group(1)
    org = p["org"] if p["org"] != base.org else "secretariat"
    victims = [v for v in world.victims if v[2] != base.org]
    same_entity = [v for v in victims if v[0] == entity]
    victim = pick(same_entity or victims, p["which"])

    def change(e: dict[str, Any]) -> None:
        if how == "other_org":
            e["owner"] = org
        elif how == "weird":
            e["owner"] = p["weird"]
        else:
            e["id"] = victim[1]
            if how == "victim_both":
                e["owner"] = victim[2]
    why = {"other_org": "key not trusted for that owner", "weird": "not an org code",
           "victim_id": f"id stored at the target with owner {victim[2]} ({victim[0]})",
           "victim_both": f"key not trusted for {victim[2]}"}[how]
    return Crafted(with_envelope(base, path, i, change), REJECT, why)


HLC_SHIFTS = {"-10y": -87600, "-1h": -1, "0": 0, "+1h": 1, "+23h": 23, "+25h": 25, "+48h": 48, "+1y": 8760,
              "+100y": 876000, "max": "max", "epoch": "epoch"}


@case("records", "hlc_time", shift=variant(HLC_SHIFTS), which=index, counter=st.integers(0, 99_999))
def _hlc_time(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    shift = HLC_SHIFTS[p["shift"]]
    now = int(time.time() * 1000)
    millis = 9_999_999_999_999 if shift == "max" else 0 if shift == "epoch" else now + shift * 3600 * 1000

    def change(e: dict[str, Any]) -> None:
        node = e["hlc"].split("-", 2)[2]
        e["hlc"] = f"{millis:013d}-{p['counter']:05d}-{node}"
    expect = REJECT if shift == "max" or (isinstance(shift, int) and shift > 24) else ACCEPT
    return Crafted(with_envelope(base, path, i, change), expect, "SYNC_FORMAT §2: no hlc more than 24 h ahead")


HLC_FORMS = ("14_digits", "12_digits", "counter_4", "counter_6", "node_upper", "node_braces", "node_no_hyphens",
             "node_not_uuid", "node_empty", "fullwidth_digits", "trailing_space", "leading_space", "number",
             "missing_counter", "extra_part", "node_of_other_case")


@case("records", "hlc_form", how=st.sampled_from(HLC_FORMS), which=index)
def _hlc_form(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    how = p["how"]

    def change(e: dict[str, Any]) -> None:
        millis, counter, node = e["hlc"].split("-", 2)
        e["hlc"] = {
            "14_digits": f"0{millis}-{counter}-{node}", "12_digits": f"{millis[1:]}-{counter}-{node}",
            "counter_4": f"{millis}-{counter[1:]}-{node}", "counter_6": f"{millis}-0{counter}-{node}",
            "node_upper": f"{millis}-{counter}-{node.upper()}", "node_braces": f"{millis}-{counter}-{{{node}}}",
            "node_no_hyphens": f"{millis}-{counter}-{node.replace('-', '')}", "node_not_uuid": f"{millis}-{counter}-pc1",
            "node_empty": f"{millis}-{counter}-", "fullwidth_digits": uuid_variant(millis, "fullwidth") + f"-{counter}-{node}",
            "trailing_space": f"{millis}-{counter}-{node} ", "leading_space": f" {millis}-{counter}-{node}",
            "number": int(millis), "missing_counter": f"{millis}-{node}", "extra_part": f"{millis}-{counter}-{node}-1",
            "node_of_other_case": f"{millis}-{counter}-{uuid_variant(node, 'one_upper')}",
        }[how]
    return Crafted(with_envelope(base, path, i, change), REJECT, "SYNC_FORMAT §3 hlc form; canonical installation part")


VV_VALUES = {"0": (0, REJECT), "-1": (-1, REJECT), "1": (1, ACCEPT), "2^53-1": (MAX_SAFE, ACCEPT),
             "2^53": (2**53, REJECT), "2^63": (2**63, REJECT), "2^64": (2**64, REJECT), "10^30": (10**30, REJECT),
             "1.0": ({"$raw": "1.0"}, REJECT), "1e2": ({"$raw": "1e2"}, REJECT), "1.5": (1.5, REJECT),
             "string": ("3", REJECT), "true": (True, REJECT), "null": (None, REJECT),
             "NaN": ({"$raw": "NaN"}, REJECT), "huge_digits": ({"$raw": "9" * 5000}, REJECT)}


@case("records", "vv_counter", value=variant(VV_VALUES), which=index, key=index)
def _vv_counter(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    value, expect = VV_VALUES[p["value"]]

    def change(e: dict[str, Any]) -> None:
        k = pick(sorted(e["vv"]), p["key"])
        e["vv"][k] = value
    return Crafted(with_envelope(base, path, i, change), expect, "SYNC_FORMAT §2: counters 1 .. 2^53-1, integers")


VV_KEYS = {"add_fresh": ACCEPT, "upper": REJECT, "braces": REJECT, "no_hyphens": REJECT, "not_uuid": REJECT,
           "empty_key": REJECT, "empty_vv": REJECT, "list": REJECT, "one_upper": REJECT, "urn": REJECT}


@case("records", "vv_key", how=variant(VV_KEYS), which=index, key=index)
def _vv_key(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    how = p["how"]

    def change(e: dict[str, Any]) -> None:
        k = pick(sorted(e["vv"]), p["key"])
        if how == "add_fresh":
            e["vv"][str(uuid.UUID(int=p["key"] + 1, version=4))] = 1
        elif how == "empty_vv":
            e["vv"] = {}
        elif how == "list":
            e["vv"] = [[k, v] for k, v in e["vv"].items()]
        else:
            new = "" if how == "empty_key" else uuid_variant(k, how)
            e["vv"] = {(new if kk == k else kk): v for kk, v in e["vv"].items()}
    return Crafted(with_envelope(base, path, i, change), VV_KEYS[how], "SYNC_FORMAT §2: canonical vv keys")


RECORD_IDS = {**{f: REJECT for f in ID_FORMS}, "fresh": ACCEPT, "nil": EITHER}


@case("records", "id_form", how=variant(RECORD_IDS), which=index)
def _id_form(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"])
    how = p["how"]

    def change(e: dict[str, Any]) -> None:
        e["id"] = {"fresh": det_uuid(p, "id"), "nil": "00000000-0000-0000-0000-000000000000"}.get(how) or \
            uuid_variant(e["id"], how)
    return Crafted(with_envelope(base, path, i, change), RECORD_IDS[how], "SYNC_FORMAT §2: canonical ids")


REF_FORMS = {**{f: REJECT for f in ("upper", "braces", "no_hyphens", "one_upper", "urn", "space")}, "dangling": EITHER}


@case("records", "reference_form", how=variant(REF_FORMS), which=index, field=index)
def _reference_form(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"], live=True, entity=("pitch_presentations", "matchings", "trials"))
    env = json.loads(base.files[path][i])
    refs = [f for f in REFERENCE_FIELDS if isinstance(env["data"].get(f), str)]
    if not refs:
        return Crafted(base.raw, ACCEPT, "no reference in this base")
    name = pick(refs, p["field"])
    how = p["how"]

    def change(e: dict[str, Any]) -> None:
        e["data"][name] = det_uuid(p, "ref") if how == "dangling" else uuid_variant(e["data"][name], how)
    return Crafted(with_envelope(base, path, i, change), REF_FORMS[how], f"{name}: canonical referenced ids")


@case("records", "duplicate_id", how=st.sampled_from(("same_line_twice", "same_file", "other_file", "other_case")),
      which=index, other=index)
def _duplicate_id(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    how = p["how"]
    path, i = _line(world, base, p["which"])
    line = base.files[path][i]
    rid = json.loads(line)["id"]
    if how == "same_line_twice":
        return Crafted(with_line(base, path, i, [line, line]), REJECT)
    if how == "same_file":
        lines = base.files[path]
        if len(lines) < 2:
            how = "other_file"
        else:
            j = (i + 1 + p["other"] % (len(lines) - 1)) % len(lines)
            return Crafted(with_envelope(base, path, j, lambda e: e.__setitem__("id", rid)), REJECT)
    others = [q for q in base.paths if q != path]
    other = pick(others, p["other"])
    new_id = rid if how != "other_case" else rid.upper()
    return Crafted(with_envelope(base, other, 0, lambda e: e.__setitem__("id", new_id)), REJECT,
                   "SYNC_FORMAT §2: the same id twice in one package")


INT_FIELDS = {"participants": ("events",), "series_no": ("events", "trials"), "order": ("pitch_presentations",),
              "x_count": None}
INT_VALUES = {"0": 0, "1": 1, "2^53-1": MAX_SAFE, "2^53": 2**53, "2^63-1": 2**63 - 1, "2^63": 2**63, "2^64": 2**64,
              "10^30": 10**30, "-1": -1, "-2^63-1": -(2**63) - 1, "1.0": {"$raw": "1.0"}, "1e3": {"$raw": "1e3"},
              "12.5e1": {"$raw": "12.5e1"}, "1.5": 1.5, "true": True, "string": "12",
              "huge_digits": {"$raw": "9" * 5000}}


def _int_expect(name: str, label: str) -> str:
    value = INT_VALUES[label]
    if label == "huge_digits":
        return REJECT  # beyond 2^53 - 1
    if label in ("1.0", "1e3", "12.5e1"):
        # Integers written with a fraction or exponent: refused in an integer field; in an unknown
        # field the rule may or may not apply (a later writer may mean a float).
        return REJECT if name != "x_count" else EITHER
    if isinstance(value, bool):
        return REJECT if name != "x_count" else ACCEPT
    if isinstance(value, float):
        return REJECT if name != "x_count" else ACCEPT  # a non-integral number in an integer field
    if isinstance(value, str):
        return EITHER if name != "x_count" else ACCEPT
    low = {"participants": 0, "series_no": 1, "order": 1, "x_count": 0}[name]
    return ACCEPT if low <= value <= MAX_SAFE else REJECT


@case("records", "data_integer", name=variant(INT_FIELDS), value=variant(INT_VALUES), which=index)
def _data_integer(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    name = p["name"]
    path, i = _line(world, base, p["which"], live=True, entity=INT_FIELDS[name])
    entity = RECORDS_PATH.fullmatch(path).group(1)
    if INT_FIELDS[name] is not None and entity not in INT_FIELDS[name]:
        return Crafted(base.raw, ACCEPT, f"no {name} in this base")
    value = INT_VALUES[p["value"]]
    return Crafted(with_envelope(base, path, i, lambda e: e["data"].__setitem__(name, value)),
                   _int_expect(name, p["value"]), "SYNC_FORMAT §2: numbers out of range")


@case("records", "data_constant", token=st.sampled_from(("NaN", "Infinity", "-Infinity", "1e400", "-1e400")),
      where=st.sampled_from(("participants", "x_value", "nested")), which=index)
def _data_constant(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"], live=True, entity=("events",) if p["where"] == "participants" else None)
    raw = {"$raw": p["token"]}

    def change(e: dict[str, Any]) -> None:
        if p["where"] == "nested":
            e["data"]["x_value"] = {"a": [1, raw]}
        else:
            e["data"][p["where"]] = raw
    return Crafted(with_envelope(base, path, i, change), REJECT, "SYNC_FORMAT §2: every number in data finite")


TEXT_FIELDS = {"events": ("title", "description", "venue"), "needs": ("title", "requirements"),
               "seeds": ("tech_name", "summary", "company"), "trials": ("title", "result"),
               "support_activities": ("note",), "pitch_presentations": ("note",), "matchings": ()}


def _text_field(base: Base, path: str, which: int) -> str:
    entity = RECORDS_PATH.fullmatch(path).group(1)
    return pick([*TEXT_FIELDS.get(entity, ()), "x_text"], which)


@case("records", "long_string", length=st.sampled_from((99_999, 100_000, 100_001, 150_000)), which=index,
      field=index, seed=st.integers(0, 2**16))
def _long_string(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"], live=True)
    name = _text_field(base, path, p["field"])
    text = _text(p["seed"], p["length"], _CJK)
    return Crafted(with_envelope(base, path, i, lambda e: e["data"].__setitem__(name, text)),
                   ACCEPT if p["length"] <= 100_000 else REJECT, f"{name}: strings up to 100,000 characters")


@case("records", "long_line", strings=st.sampled_from((9, 10, 11, 12, 20)), pad=st.booleans(), which=index,
      seed=st.integers(0, 2**16))
def _long_line(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"], live=True)
    if p["pad"]:
        line = base.files[path][i]
        padded = b"{" + b" " * (MIB + 10 - len(line)) + line[1:]
        return Crafted(with_line(base, path, i, padded), REJECT, "line over 1 MiB (whitespace)")
    parts = [_text(p["seed"] + k, 100_000, _ALNUM) for k in range(p["strings"])]
    env = json.loads(base.files[path][i])
    env["data"]["x_parts"] = parts
    line = jbytes(env)
    return Crafted(with_line(base, path, i, line), REJECT if len(line) > MIB else ACCEPT, f"line of {len(line):,} bytes")


TEXT_PLACES = ("known_field", "unknown_value", "unknown_key", "contact_name", "planned_text", "stage_note",
               "nested_unknown")


@case("records", "bad_text", text=variant(BAD_TEXT), place=st.sampled_from(TEXT_PLACES), which=index, field=index)
def _bad_text(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    place = p["place"]
    entity_for = {"contact_name": ("needs", "seeds"), "planned_text": ("events", "trials"), "stage_note": ("matchings",)}
    path, i = _line(world, base, p["which"], live=True, entity=entity_for.get(place))
    value, expect = BAD_TEXT[p["text"]]
    entity = RECORDS_PATH.fullmatch(path).group(1)
    if place in entity_for and entity not in entity_for[place]:
        place = "unknown_value"
    if expect == ACCEPT and place == "known_field":
        expect = ACCEPT
    if p["text"] in ("control", "noncharacter", "bidi"):
        expect = EITHER

    def change(e: dict[str, Any]) -> None:
        d = e["data"]
        if place == "known_field":
            name = _text_field(base, path, p["field"])
            d[name] = ("x" + value) if isinstance(value, str) else value
        elif place == "unknown_value":
            d["x_text"] = value
        elif place == "unknown_key":
            if isinstance(value, dict):
                e["data"] = {"$pairs": [*[[k, v] for k, v in d.items()], ["__KEY__", 1]]}
            else:
                d["x_" + value] = 1
        elif place == "contact_name":
            d["contact"] = {"name": "x" + value if isinstance(value, str) else value, "department": None,
                            "email": None, "phone": None}
        elif place == "planned_text":
            d["planned"]["text"] = "x" + value if isinstance(value, str) else value
        elif place == "stage_note":
            d["stages"][0]["note"] = "x" + value if isinstance(value, str) else value
        else:
            d["x_nested"] = {"a": [{"b": value}]}

    env = json.loads(base.files[path][i])
    change(env)
    text = encode(env)
    if place == "unknown_key" and isinstance(value, dict):
        text = text.replace('"__KEY__"', encode(value))
    return Crafted(with_line(base, path, i, to_bytes(text)), expect, "SYNC_FORMAT §2: text that cannot be stored")


DUP_RECORD_KEYS = ("owner", "id", "deleted", "data", "vv_key", "data_title", "data_unknown", "planned_text",
                   "contact_name", "stage")


@case("records", "duplicate_key", key=st.sampled_from(DUP_RECORD_KEYS),
      order=st.sampled_from(("bogus_first", "bogus_last", "same")), which=index)
def _record_dup(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    key, order = p["key"], p["order"]
    entity_for = {"planned_text": ("events", "trials"), "contact_name": ("needs",), "stage": ("matchings",)}
    path, i = _line(world, base, p["which"], live=True, entity=entity_for.get(key))
    entity = RECORDS_PATH.fullmatch(path).group(1)
    if key in entity_for and entity not in entity_for[key]:
        key = "data_unknown"

    def dup(obj: dict[str, Any], k: str, bogus: Any) -> dict[str, Any]:
        pairs = [[kk, v] for kk, v in obj.items()]
        if k not in obj:
            pairs.append([k, bogus])
        value = obj.get(k, bogus)
        extra = [k, value if order == "same" else bogus]
        return {"$pairs": [extra, *pairs] if order == "bogus_first" else [*pairs, extra]}

    def change(e: dict[str, Any]) -> Any:
        d = e["data"]
        if key in ("owner", "id", "deleted", "data"):
            bogus = {"owner": "kinki" if base.org != "kinki" else "chugoku", "id": det_uuid(p, "dup"),
                     "deleted": not e["deleted"], "data": {}}[key]
            return dup(e, key, bogus)
        if key == "vv_key":
            k = sorted(e["vv"])[0]
            e["vv"] = dup(e["vv"], k, e["vv"][k] + 1)
        elif key == "data_title":
            name = pick([n for n in ("title", "tech_name", "kind", "need_id", "lg_code") if n in d] or ["x_t"], 0)
            e["data"] = dup(d, name, "偽物")
        elif key == "data_unknown":
            e["data"] = dup(d, "x_dup", "second")
        elif key == "planned_text":
            d["planned"] = dup(d["planned"], "text", "偽物")
        elif key == "contact_name":
            d["contact"] = dup(d.get("contact") or {"name": "担当"}, "name", "偽物")
        else:
            d["stages"][0] = dup(d["stages"][0], "stage", "dropped")
        return None
    return Crafted(with_envelope(base, path, i, change), REJECT, "SYNC_FORMAT §2: duplicate keys")


@case("records", "deep_nesting", depth=st.sampled_from((1, 5, 50, 100, 200, 253, 254, 300, 500, 900, 1000, 5000,
                                                         50_000)),
      kind=st.sampled_from(("list", "object")), which=index)
def _record_nesting(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path, i = _line(world, base, p["which"], live=True)
    depth = p["depth"]
    raw = {"$raw": ("[" * depth + "1" + "]" * depth) if p["kind"] == "list" else ('{"a":' * depth + "1" + "}" * depth)}
    return Crafted(with_envelope(base, path, i, lambda e: e["data"].__setitem__("x_nested", raw)),
                   ACCEPT if depth <= 100 else EITHER, "an unknown data field, nested")


DOMAIN = {"lg_code_check_digit": REJECT, "status_unknown": REJECT, "date_invalid": REJECT, "title_number": REJECT,
          "make_tombstone": ACCEPT, "live_empty_data": REJECT, "facility_unknown": REJECT, "drop_required": REJECT}


@case("records", "domain", how=variant(DOMAIN), which=index)
def _domain(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    how = p["how"]
    entity_for = {"lg_code_check_digit": ("needs", "trials"), "status_unknown": ("events", "needs", "trials"),
                  "date_invalid": ("needs", "support_activities"), "title_number": ("events", "needs", "trials"),
                  "facility_unknown": ("needs", "seeds"), "drop_required": ("events", "needs")}
    path, i = _line(world, base, p["which"], live=True, entity=entity_for.get(how))
    d_keys = json.loads(base.files[path][i])["data"]

    def change(e: dict[str, Any]) -> None:
        d = e["data"]
        if how == "lg_code_check_digit" and "lg_code" in d:
            d["lg_code"] = d["lg_code"][:5] + str((int(d["lg_code"][5]) + 1) % 10)
        elif how == "status_unknown":
            d["status"] = "bogus"
        elif how == "date_invalid":
            d["received_on" if "received_on" in d else "on"] = "2024-13-01"
        elif how == "title_number":
            d["title"] = 5
        elif how == "make_tombstone":
            e["deleted"] = True
            e["data"] = {}
        elif how == "live_empty_data":
            e["data"] = {}
        elif how == "facility_unknown":
            d["facility_types"] = ["spaceport"]
        else:
            d.pop("title", None)
    expect = DOMAIN[how]
    if how in entity_for and not set(d_keys) & {"lg_code", "status", "received_on", "on", "title", "facility_types"}:
        expect = EITHER
    return Crafted(with_envelope(base, path, i, change), expect, "a record that fails validation")


LINE_FORMS = {"crlf": EITHER, "blank_line": EITHER, "no_final_newline": EITHER, "bom": EITHER, "spaces": ACCEPT,
              "leading_ws": ACCEPT, "pretty_multiline": REJECT, "two_objects": REJECT, "array": REJECT,
              "escaped_ascii": ACCEPT, "trailing_comma": REJECT, "keys_reordered": ACCEPT}


@case("records", "line_form", how=variant(LINE_FORMS), which=index)
def _line_form(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    how = p["how"]
    path, i = _line(world, base, p["which"])
    lines = list(base.files[path])
    line = lines[i]
    env = json.loads(line)
    if how in ("crlf", "blank_line", "no_final_newline", "bom"):
        data = body(lines)
        if how == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif how == "blank_line":
            data = body([*lines[: i + 1], b"", *lines[i + 1 :]])
        elif how == "no_final_newline":
            data = data[:-1]
        else:
            data = b"\xef\xbb\xbf" + data
        return Crafted(pack(base, bodies={path: data}), LINE_FORMS[how])
    new = {
        "spaces": json.dumps(env, ensure_ascii=False).encode(), "leading_ws": b"  " + line,
        "pretty_multiline": json.dumps(env, indent=1).encode(), "two_objects": line + line, "array": b"[" + line + b"]",
        "escaped_ascii": json.dumps(env, separators=(",", ":")).encode(), "trailing_comma": line[:-1] + b",}",
        "keys_reordered": json.dumps(dict(reversed(list(env.items()))), ensure_ascii=False).encode(),
    }[how]
    if how == "pretty_multiline":
        # Several physical lines: the count is fixed to match, so the lines themselves must fail.
        lines[i : i + 1] = new.split(b"\n")
        return Crafted(pack(base, bodies={path: body(lines)}), REJECT)
    return Crafted(with_line(base, path, i, new), LINE_FORMS[how])


# --------------------------------------------------------------------------------------
# Family 5: whole extra entity files
# --------------------------------------------------------------------------------------

_entity_name = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True).filter(
    lambda n: n not in CONTRACT_FIELDS and not n.startswith("x_fuzz"))


@case("entities", "unknown_listed", name=_entity_name, n=st.integers(0, 3), value=safe_json)
def _unknown_listed(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    lines = [jbytes(world.new_envelope(base, {"x_value": p["value"], "k": k}, (p, k))) for k in range(p["n"])]
    return Crafted(pack(base, bodies={f"records/{p['name']}.jsonl": body(lines)}), ACCEPT if p["n"] else EITHER,
                   "SYNC_FORMAT §2: unknown records/<entity>.jsonl files are ignored")


@case("entities", "unknown_unlisted", name=_entity_name, n=st.integers(0, 3))
def _unknown_unlisted(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    lines = [jbytes(world.new_envelope(base, {"k": k}, (p, k))) for k in range(p["n"])]
    return Crafted(pack(base, extra=[(f"records/{p['name']}.jsonl", body(lines))]), REJECT, "a member not listed")


# §2 says both "the same id twice in one package, in one or several files" (reject) and "unknown
# records/<entity>.jsonl files are ignored": for what lies inside an unknown file it decides nothing.
UNKNOWN_FILE = {"untrusted_owner": EITHER, "id_of_known_record": EITHER, "not_json": EITHER, "not_envelope": EITHER,
                "wrong_hash": REJECT, "wrong_count": REJECT, "future_hlc": EITHER, "upper_id": EITHER}


@case("entities", "unknown_content", how=variant(UNKNOWN_FILE), name=_entity_name, which=index)
def _unknown_content(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    how = p["how"]
    env = world.new_envelope(base, {"x": 1}, p)
    path = f"records/{p['name']}.jsonl"
    if how == "untrusted_owner":
        env["owner"] = "kinki" if base.org != "kinki" else "chugoku"
    elif how == "id_of_known_record":
        known_path, i = _line(world, base, p["which"])
        env["id"] = json.loads(base.files[known_path][i])["id"]
    elif how == "future_hlc":
        env["hlc"] = f"{9_999_999_999_999}-00000-{base.installation}"
    elif how == "upper_id":
        env["id"] = env["id"].upper()
    content = {"not_json": b"not json\n", "not_envelope": b'{"a":1}\n'}.get(how, body([jbytes(env)]))
    if how == "wrong_hash":
        data = pack(base, bodies={path: content}, edit=lambda m: m["files"][-1].__setitem__("sha256", "0" * 64))
    elif how == "wrong_count":
        data = pack(base, bodies={path: content}, edit=lambda m: m["files"][-1].__setitem__("records", 2))
    else:
        data = pack(base, bodies={path: content})
    return Crafted(data, UNKNOWN_FILE[how])


ENTITY_NAMES = {"records/Events.jsonl": EITHER, "records/a-b.jsonl": EITHER, "records/_x.jsonl": EITHER,
                "records/1x.jsonl": EITHER, "records/.jsonl": EITHER, "records/x.json": REJECT,
                "records/x.JSONL": REJECT, "records/x.jsonl.gz": REJECT, "records/x y.jsonl": EITHER,
                "records/イベント.jsonl": EITHER}


@case("entities", "odd_name_listed", name=variant(ENTITY_NAMES))
def _odd_name(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    lines = [jbytes(world.new_envelope(base, {"k": 1}, p))]
    return Crafted(pack(base, bodies={p["name"]: body(lines)}), ENTITY_NAMES[p["name"]])


@case("entities", "secretariat_only_from_forum", entity=st.sampled_from(("municipality_status", "kpi_targets",
                                                                          "closed_tallies", "trusted_keys")))
def _secretariat_only(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    data = {"municipality_status": {"lg_code": "342076", "admin_member": True, "mayors_council": False,
                                    "as_of": "2024-04-01"},
            "kpi_targets": {"fiscal_year": 2024, "kpi": "forums_held", "target": 50},
            "closed_tallies": {"fiscal_year": 2023, "closed_at": "2024-04-01T00:00:00+09:00", "closed_by": "x",
                               "source": "published", "kpis": {}},
            "trusted_keys": {"public_key": public_b64(world.untrusted_key), "orgs": ["all"], "label": "x"}}[p["entity"]]
    env = world.new_envelope(base, data, p)
    env["owner"] = "secretariat"
    return Crafted(pack(base, bodies={f"records/{p['entity']}.jsonl": body([jbytes(env)])}), REJECT,
                   "a forum key is not trusted for secretariat records")


@case("entities", "drop_known_file", which=index)
def _drop_known(world: World, base: Base, p: dict[str, Any]) -> Crafted:
    path = pick(base.paths, p["which"])
    bodies = {q: body(lines) for q, lines in base.files.items() if q != path}

    def edit(m: dict[str, Any]) -> None:
        m["files"] = [e for e in m["files"] if e["path"] != path]
    members = [*bodies.items()]
    m = copy.deepcopy(base.manifest)
    edit(m)
    text = jbytes(m)
    data = zip_members([*members, ("manifest.json", text), ("manifest.sig", sign(base.key, text))])
    return Crafted(data, ACCEPT, "a package need not hold every entity (full snapshots of what is held)")


# --------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------

FAMILIES = ("bytes", "zip", "manifest", "records", "entities")


def family(name: str) -> st.SearchStrategy[Mutation]:
    return st.one_of(*STRATEGIES[name])


@st.composite
def _whole_family(draw: st.DrawFn, name: str) -> Mutation:
    return draw(family(name))


def all_mutations() -> st.SearchStrategy[Mutation]:
    """The five families in one strategy. Each is wrapped so that one_of cannot flatten them into one
    list of 60 cases (which gives the one-case raw-bytes family 1/60 of the examples). Hypothesis
    still favours earlier branches; ``bench/fuzz_packages.py`` splits its examples evenly instead."""
    return st.one_of(*(_whole_family(name) for name in FAMILIES))


def M(family_: str, case_: str, **params: Any) -> Mutation:  # noqa: N802 - reads like a literal
    return Mutation(family_, case_, {"base": 0, **params})


# Named cases: every rule the brief and SYNC_FORMAT §2 single out, each run once (deterministic).
CONTRACT_CASES: list[Mutation] = [
    # zip
    M("zip", "duplicate_member", which=0, same=True), M("zip", "extra_member", name="notes.txt", size=2),
    M("zip", "directory_entry", name="records/", dos=False), M("zip", "special_attr", kind="symlink", which=0, extra=True),
    M("zip", "special_attr", kind="symlink", which=0, extra=False),
    *[M("zip", "unsafe_name", name=n, rename=False, which=0) for n in ("../manifest.json", "records\\needs.jsonl",
                                                                       "C:records/x.jsonl", "/manifest.json",
                                                                       "\\manifest.json")],
    M("zip", "header_field", field="central_file_size", value="over_256MiB", which=0),
    M("zip", "header_field", field="central_compress_size", value="ratio_201", which=0),
    M("zip", "compression", mode="stored"), M("zip", "compression", mode="mixed"), M("zip", "compression", mode="lzma"),
    M("zip", "ratio", pad=600_000, which=0), M("zip", "member_count", total=64), M("zip", "member_count", total=65),
    M("zip", "overlap", which=0, other=0), M("zip", "encrypted_flag", where="both", which=0),
    # manifest
    M("manifest", "text", how="compact"), M("manifest", "text", how="pretty"),
    *[M("manifest", "drop_field", field=f, which=0) for f in ("format_version", "sequence", "origin.installation",
                                                             "public_key", "files")],
    M("manifest", "retype_field", field="sequence", to="string", which=0),
    M("manifest", "retype_field", field="origin", to="list", which=0),
    M("manifest", "unknown_field", where="top", name="x_future", value={"a": [1, "b"]}, which=0),
    M("manifest", "unknown_field", where="origin", name="x_hostname", value="pc-01", which=0),
    M("manifest", "unknown_field", where="files_entry", name="x_compressed", value=False, which=0),
    *[M("manifest", "sequence", value=v) for v in ("0", "2^53-1", "2^53", "2^63", "2^64", "10^100", "-1", "12.0",
                                                   "1e3", "12.5", "NaN", "Infinity", "10^5000 digits")],
    *[M("manifest", "installation", how=h) for h in ("upper", "braces", "no_hyphens", "fresh", "bound_to_other_key")],
    M("manifest", "installation", how="bound_to_other_key", base=1),
    *[M("manifest", "format_version", value=v) for v in ("2", "0", "1.0", "string")],
    *[M("manifest", "duplicate_key", key=k, order="bogus_first", which=0) for k in ("sequence", "public_key",
                                                                                    "installation", "records")],
    M("manifest", "duplicate_key", key="sequence", order="same", which=0),
    M("manifest", "bad_constant", token="NaN", where="unknown_field"),
    *[M("manifest", "app_version_text", text=t, unknown=False) for t in ("lone_high", "lone_low", "nul",
                                                                         "raw_invalid_utf8", "valid_pair")],
    M("manifest", "signer", how="untrusted_key"), M("manifest", "signer", how="other_org_key"),
    M("manifest", "signer", how="second_laptop_claims_first"), M("manifest", "signer", how="second_laptop_own_installation"),
    M("manifest", "signature", how="flip"), M("manifest", "files_entry", how="count_plus", which=0),
    M("manifest", "files_entry", how="count_2^64", which=0), M("manifest", "deep_nesting", depth=100_000, kind="list"),
    # record lines
    *[M("records", "drop_envelope_field", field=f, which=0) for f in ENVELOPE],
    M("records", "retype_envelope_field", field="vv", to="list", which=0),
    M("records", "unknown_envelope_field", name="by", value="山田太郎", which=0),
    M("records", "unknown_envelope_field", name="x_future", value={"a": [1, 2]}, which=1),
    M("records", "unknown_data_field", name="x_new_field", value={"kind": "新しい項目", "n": [1, 2.5, None]}, which=0,
      count=1),
    M("records", "unknown_data_field", name="x_flag", value=True, which=3, count=2, base=1),
    M("records", "owner", how="other_org", org="kinki", weird="", which=0),
    M("records", "owner", how="victim_id", org="kinki", weird="", which=0),
    M("records", "owner", how="victim_id", org="kinki", weird="", which=0, base=1),
    M("records", "owner", how="victim_both", org="kinki", weird="", which=1),
    *[M("records", "hlc_time", shift=s, which=0, counter=0) for s in ("+1h", "+23h", "+25h", "+1y", "max")],
    *[M("records", "hlc_form", how=h, which=0) for h in ("14_digits", "node_upper", "node_not_uuid")],
    *[M("records", "vv_counter", value=v, which=0, key=0) for v in ("0", "-1", "2^53-1", "2^53", "2^64", "1.0",
                                                                    "1.5", "huge_digits")],
    *[M("records", "vv_key", how=h, which=0, key=0) for h in ("add_fresh", "upper", "not_uuid")],
    *[M("records", "id_form", how=h, which=0) for h in ("upper", "braces", "no_hyphens", "one_upper", "fresh")],
    M("records", "reference_form", how="upper", which=0, field=0),
    *[M("records", "duplicate_id", how=h, which=0, other=0) for h in ("same_line_twice", "same_file", "other_file")],
    *[M("records", "data_integer", name="participants", value=v, which=0) for v in ("2^53-1", "2^53", "2^63",
                                                                                    "2^64", "-1", "1.0", "1e3")],
    *[M("records", "data_integer", name="x_count", value=v, which=0) for v in ("2^53-1", "2^64", "-1", "1.0")],
    M("records", "data_integer", name="series_no", value="2^63", which=0),
    M("records", "data_integer", name="order", value="2^64", which=0),
    M("records", "data_constant", token="NaN", where="x_value", which=0),
    M("records", "data_constant", token="1e400", where="participants", which=0),
    *[M("records", "long_string", length=n, which=0, field=0, seed=1) for n in (100_000, 100_001)],
    M("records", "long_string", length=100_001, which=0, field=9, seed=1),
    *[M("records", "long_line", strings=n, pad=False, which=0, seed=1) for n in (10, 11)],
    M("records", "long_line", strings=9, pad=True, which=0, seed=1),
    *[M("records", "bad_text", text=t, place=pl, which=0, field=0) for t in ("nul", "lone_high", "lone_low",
                                                                              "valid_pair")
      for pl in ("known_field", "unknown_value", "unknown_key")],
    M("records", "bad_text", text="lone_high", place="contact_name", which=0, field=0),
    *[M("records", "duplicate_key", key=k, order="bogus_first", which=0) for k in ("owner", "id", "data_title",
                                                                                   "data_unknown", "planned_text")],
    M("records", "duplicate_key", key="owner", order="same", which=0),
    *[M("records", "deep_nesting", depth=d, kind="list", which=0) for d in (50, 254, 500, 1000, 50_000)],
    M("records", "domain", how="make_tombstone", which=0), M("records", "domain", how="lg_code_check_digit", which=0),
    M("records", "line_form", how="spaces", which=0), M("records", "line_form", how="keys_reordered", which=0),
    # entity files
    M("entities", "unknown_listed", name="closed_tallies_v2", n=2, value={"a": 1}),
    M("entities", "unknown_unlisted", name="new_entity", n=1),
    M("entities", "secretariat_only_from_forum", entity="municipality_status"),
]


# ======================================================================================
# The reference checker: what §2 says of a package, without the code under test
# ======================================================================================


class _Strict:
    """json.loads with every §2 JSON rule recorded as a problem (duplicate keys, constants, numbers, text)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        if len(set(keys)) != len(keys):
            self.problems.append(f"duplicate key {sorted({k for k in keys if keys.count(k) > 1})[:3]}")
        return dict(items)

    def constant(self, name: str) -> float:
        self.problems.append(f"JSON constant {name}")
        return math.nan

    def number(self, text: str) -> float:
        return float(text)  # 1e400 -> inf: judged where it stands (data, sequence, ...), not here

    def integer(self, text: str) -> int:
        if len(text) > 400:
            self.problems.append("integer with more than 400 digits")
            return 2**64
        return int(text)

    def loads(self, raw: bytes) -> Any:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.problems.append("not UTF-8")
            text = raw.decode("utf-8", "replace")
        text = text.removeprefix("\ufeff")  # RFC 8259 §8.1: a parser may ignore a byte order mark
        try:
            return json.loads(text, object_pairs_hook=self.pairs, parse_constant=self.constant,
                              parse_float=self.number, parse_int=self.integer)
        except (ValueError, RecursionError) as exc:
            self.problems.append(f"not JSON ({type(exc).__name__})")
            return None


def _walk_text(value: Any, where: str, out: list[str]) -> None:
    stack = [(value, where)]
    while stack:
        v, w = stack.pop()
        if isinstance(v, dict):
            for k, item in v.items():
                stack.append((k, w + ".<key>"))
                stack.append((item, f"{w}.{k}"))
        elif isinstance(v, list):
            stack.extend((item, f"{w}[]") for item in v)
        elif isinstance(v, str):
            if "\x00" in v:
                out.append(f"{w}: U+0000")
            if SURROGATE.search(v):
                out.append(f"{w}: unpaired surrogate")
            if len(v) > 100_000:
                out.append(f"{w}: string of {len(v):,} characters")


def _walk_numbers(value: Any, where: str, out: list[str]) -> None:
    stack = [(value, where)]
    while stack:
        v, w = stack.pop()
        if isinstance(v, dict):
            stack.extend((item, f"{w}.{k}") for k, item in v.items())
        elif isinstance(v, list):
            stack.extend((item, f"{w}[]") for item in v)
        elif isinstance(v, int) and not isinstance(v, bool) and not 0 <= v <= MAX_SAFE:
            out.append(f"{w}: integer {str(v)[:30]} outside 0 .. 2^53-1")
        elif isinstance(v, float) and not math.isfinite(v):
            out.append(f"{w}: number {v!r} is not finite")
        elif isinstance(v, float) and w.rsplit(".", 1)[-1] in INTEGER_FIELDS:
            out.append(f"{w}: integer field written as {v!r}")


def _depth_ok(raw: bytes) -> bool:
    """Whether json can parse ``raw`` without running out of recursion (checked only when it might)."""
    if raw.count(b"[") + raw.count(b"{") < 800:
        return True
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest < 800


def contract_problems(data: bytes, trust: dict[str, frozenset[str]], stored_owner: dict[str, str],
                      bindings: dict[str, str], now_ms: int | None = None) -> list[str]:
    """Every §2 rule that ``data`` breaks, as far as it can be told without the domain model."""
    problems: list[str] = []
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return [f"not a zip ({exc})"]
    with zf:
        infos = zf.infolist()
        names = [i.orig_filename for i in infos]
        if len(infos) > 64:
            problems.append(f"{len(infos)} members")
        if len(set(names)) != len(names):
            problems.append("a member name twice")
        for info in infos:
            name = info.orig_filename
            if name not in ("manifest.json", "manifest.sig") and not RECORDS_PATH.fullmatch(name):
                problems.append(f"other member {name!r}")
            mode = info.external_attr >> 16
            if name.endswith("/") or (mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG)) or info.external_attr & 0x10:
                problems.append(f"{name!r} is not a regular file")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                problems.append(f"{name!r} compression {info.compress_type}")
            if info.file_size > 256 * MIB or (info.file_size and info.file_size / max(1, info.compress_size) > 200):
                problems.append(f"{name!r} size/ratio")
            if info.flag_bits & 1:
                problems.append(f"{name!r} encrypted")
        if problems:
            return problems
        try:
            members = {i.orig_filename: zf.read(i) for i in infos}
        except Exception as exc:  # noqa: BLE001 - any failure to read is a problem of the package
            return [f"a member cannot be read ({type(exc).__name__}: {exc})"]
    if "manifest.json" not in members or "manifest.sig" not in members:
        return ["manifest.json or manifest.sig missing"]
    manifest_bytes = members["manifest.json"]
    if not _depth_ok(manifest_bytes):
        return []  # cannot be checked here; the other checks of an acceptance still apply
    strict = _Strict()
    m = strict.loads(manifest_bytes)
    problems += [f"manifest: {p}" for p in strict.problems]
    if not isinstance(m, dict):
        return problems + ["manifest is not an object"]
    if m.get("format") != "jcimsync":
        problems.append("format")
    if type(m.get("format_version")) is not int or m.get("format_version") != 1:
        problems.append(f"format_version {m.get('format_version')!r}")
    seq = m.get("sequence")
    if type(seq) is not int or not 0 <= seq <= MAX_SAFE:
        problems.append(f"sequence {str(seq)[:30]}")
    origin = m.get("origin")
    if not isinstance(origin, dict):
        return problems + ["origin"]
    installation = origin.get("installation")
    if not isinstance(installation, str) or not CANONICAL.fullmatch(installation):
        problems.append(f"origin.installation {str(installation)[:50]!r} not canonical")
    if origin.get("org") not in ORG_CODES:
        problems.append("origin.org")
    for name in ("app_version",):
        if isinstance(origin.get(name), str):
            _walk_text(origin[name], f"origin.{name}", problems)
    if isinstance(m.get("created_at"), str):
        _walk_text(m["created_at"], "created_at", problems)
    else:
        problems.append("created_at missing or not a string")
    if m.get("scope") not in ("org", "national"):
        problems.append("scope")
    if not isinstance(m.get("package_id"), str):
        problems.append("package_id")
    key = m.get("public_key")
    try:
        pub = Ed25519PublicKey.from_public_bytes(base64.b64decode(key, validate=True))
        sig = base64.b64decode(members["manifest.sig"].strip(), validate=True)
        pub.verify(sig, manifest_bytes)
    except (InvalidSignature, ValueError, TypeError):
        return problems + ["signature does not verify with manifest.public_key"]
    if key not in trust:
        problems.append("signed by a key the reader does not trust")
    allowed = trust.get(key, frozenset())
    if isinstance(installation, str) and bindings.get(installation, key) != key:
        problems.append("origin.installation first seen with another key")
    files = m.get("files")
    if not isinstance(files, list) or not all(isinstance(e, dict) for e in files):
        return problems + ["files"]
    listed = [e.get("path") for e in files]
    present = [n for n in members if n not in ("manifest.json", "manifest.sig")]
    if sorted(listed) != sorted(present) or len(set(listed)) != len(listed):
        problems.append("files listed do not match the members")
    seen: set[str] = set()
    for entry in files:
        path = entry.get("path")
        content = members.get(path)
        if content is None:
            continue
        if not isinstance(entry.get("sha256"), str) or hashlib.sha256(content).hexdigest() != entry["sha256"].lower():
            problems.append(f"{path}: sha256")
        lines = content.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        count = entry.get("records")
        if type(count) is not int or count != len(lines):
            problems.append(f"{path}: records count")
        entity = RECORDS_PATH.fullmatch(path).group(1) if RECORDS_PATH.fullmatch(path) else None
        known = entity in CONTRACT_FIELDS
        for n, line in enumerate(lines, 1):
            where = f"{path}:{n}"
            if len(line) > MIB:
                problems.append(f"{where}: line of {len(line):,} bytes")
                continue
            if not _depth_ok(line):
                continue  # cannot be checked here; the other checks of an acceptance still apply
            strict = _Strict()
            env = strict.loads(line)
            if not known:
                continue  # ignored by a version-1 reader (see UNKNOWN_FILE for what is unclear)
            problems += [f"{where}: {p}" for p in strict.problems]
            if not isinstance(env, dict) or not set(ENVELOPE) <= env.keys():
                problems.append(f"{where}: not an envelope")
                continue
            rid, owner, hlc, vv, data = env["id"], env["owner"], env["hlc"], env["vv"], env["data"]
            if not isinstance(rid, str) or not CANONICAL.fullmatch(rid):
                problems.append(f"{where}: id {str(rid)[:50]!r} not canonical")
            elif rid in seen:
                problems.append(f"{where}: id twice in the package")
            if isinstance(rid, str):
                seen.add(rid.lower())
            if owner not in allowed:
                problems.append(f"{where}: owner {owner!r} not trusted for this key")
            if isinstance(rid, str) and stored_owner.get(rid.lower(), owner) != owner:
                problems.append(f"{where}: owner change {stored_owner[rid.lower()]} -> {owner}")
            if entity in ("municipality_status", "kpi_targets", "closed_tallies", "trusted_keys") \
                    and owner != "secretariat":
                problems.append(f"{where}: {entity} not owned by the secretariat")
            match = HLC.fullmatch(hlc) if isinstance(hlc, str) else None
            if match is None or not CANONICAL.fullmatch(match.group(3)):
                problems.append(f"{where}: hlc {str(hlc)[:60]!r}")
            elif int(match.group(1)) > now_ms + DAY_MS:
                problems.append(f"{where}: hlc {(int(match.group(1)) - now_ms) / 3.6e6:.1f} h ahead")
            if not isinstance(vv, dict) or not vv:
                problems.append(f"{where}: vv")
            else:
                for k, c in vv.items():
                    if not CANONICAL.fullmatch(k):
                        problems.append(f"{where}: vv key {k[:50]!r}")
                    if type(c) is not int or not 1 <= c <= MAX_SAFE:
                        problems.append(f"{where}: vv counter {str(c)[:30]}")
            if type(env["deleted"]) is not bool:
                problems.append(f"{where}: deleted")
            if not isinstance(data, dict):
                problems.append(f"{where}: data")
                continue
            _walk_text(data, f"{where} data", problems)
            _walk_numbers(data, f"{where} data", problems)
            for name in REFERENCE_FIELDS:
                ref = data.get(name)
                if isinstance(ref, str) and not CANONICAL.fullmatch(ref):
                    problems.append(f"{where}: {name} {ref[:50]!r} not canonical")
    return problems


# ======================================================================================
# The world: installations, packages, and the judge
# ======================================================================================


@dataclass
class Verdict:
    kind: str  # accepted | rejected | crash | accepted_forbidden | accepted_broken | rejected_allowed | rejected_dirty
    mutation: Mutation
    expect: str = EITHER
    code: str | None = None
    detail: str = ""
    exception: str | None = None
    where: str | None = None
    trace: str | None = None

    @property
    def ok(self) -> bool:
        return self.kind in OK_KINDS

    def report(self) -> str:
        lines = [f"{self.kind}: {self.mutation}", f"  expected: {self.expect}; code: {self.code}"]
        if self.detail:
            lines.append(f"  {self.detail}")
        if self.exception:
            lines.append(f"  exception in {self.where}: {self.exception}")
        if self.trace:
            lines.append("  " + self.trace.replace("\n", "\n  "))
        return "\n".join(lines)


def _short_trace(exc: BaseException, last: int = 4) -> str:
    """The application's deepest frame (where it called into a library), then the last lines."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "jcim_desktop" in f.filename]
    head = ""
    if ours:
        f = ours[-1]
        head = f"(deepest jcim_desktop frame: {f.filename.split('jcim_desktop', 1)[1]}:{f.lineno} in {f.name}: {f.line})\n"
    lines = traceback.format_exception(exc)
    text = "".join(lines[-last:]) if len(lines) > last else "".join(lines)
    return (head + text.rstrip())[-3000:]


def copy_db(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


class World:
    def __init__(self, root: Path) -> None:
        real_uuid4 = uuid.uuid4
        rng = random.Random(20240701)
        uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)  # the same record ids every run
        try:
            self._build(root)
        finally:
            uuid.uuid4 = real_uuid4

    def _build(self, root: Path) -> None:
        from jcim_desktop.domain.lgcodes import default_registry
        from jcim_desktop.services import records, sync
        from jcim_desktop.services.context import init_installation
        from jcim_desktop.sync import keys

        self.root = root
        self.sync = sync
        registry = default_registry()

        def lg(name: str) -> str:
            hits = [x for x in registry.search(name, limit=5) if x.name == name or x.full_name == name]
            return hits[0].lg_code

        def init(org: str, name: str) -> Any:
            return init_installation(org, root / name, user_name=f"fuzz-{name}")

        a, a2, b = init("chugoku", "chugoku-a"), init("chugoku", "chugoku-a2"), init("kinki", "kinki-b")
        self.target, self.observer = init("secretariat", "target"), init("kyushu", "observer")
        for src, orgs in ((a, ["chugoku"]), (a2, ["chugoku"]), (b, ["kinki"])):
            sync.add_trust(self.target, src.public_key, orgs)
        sync.add_trust(a2, a.public_key, ["chugoku"])
        sync.add_trust(self.observer, self.target.public_key, [sync.ALL_ORGS])

        def populate(ctx: Any, places: tuple[str, str]) -> dict[str, Any]:
            city, town = lg(places[0]), lg(places[1])
            made: dict[str, Any] = {}
            contact = {"name": "担当 一郎", "department": "土木課", "email": "a@example.jp", "phone": "000-0000"}
            made["seed"] = records.create(ctx, "seeds", {"company": "株式会社メンテック", "tech_name": "ドローン橋梁点検",
                                                         "summary": "概要", "facility_types": ["bridge"],
                                                         "contact": contact})
            made["need"] = records.create(ctx, "needs", {"lg_code": city, "title": "橋梁点検の効率化",
                                                         "facility_types": ["bridge"], "requirements": "安価に",
                                                         "received_on": "2024-05-10", "status": "open",
                                                         "contact": contact})
            made["need2"] = records.create(ctx, "needs", {"lg_code": town, "title": "堤防点検", "facility_types": ["river"],
                                                          "requirements": "巡視", "received_on": "2024-06-01",
                                                          "status": "open"})
            planned = {"text": "6月", "start": "2024-06-01", "end": "2024-06-30", "precision": "month",
                       "tentative": False}
            made["event"] = records.create(ctx, "events", {"title": "フォーラム", "event_type": "forum", "status": "held",
                                                           "planned": planned, "held_from": "2024-06-10",
                                                           "held_to": "2024-06-10", "lg_codes": [city],
                                                           "participants": 120, "series_no": 3,
                                                           "counts_as_forum": True})
            made["pitch"] = records.create(ctx, "events", {"title": "技術ピッチ", "event_type": "pitch_event",
                                                           "status": "planned", "planned": planned, "lg_codes": []})
            made["presentation"] = records.create(ctx, "pitch_presentations", {
                "event_id": made["pitch"].id, "seed_id": made["seed"].id, "need_id": made["need"].id, "order": 1})
            made["matching"] = records.create(ctx, "matchings", {
                "need_id": made["need"].id, "seed_id": made["seed"].id, "pitch_event_id": made["pitch"].id,
                "stages": [{"stage": "considered", "on": "2024-06-20", "note": "検討開始"}]})
            made["trial"] = records.create(ctx, "trials", {
                "title": "現場試行", "lg_code": city, "matching_id": made["matching"].id, "need_id": made["need"].id,
                "seed_id": made["seed"].id, "planned": planned, "status": "planned", "series_no": 1})
            made["support"] = records.create(ctx, "support_activities", {"kind": "visit", "on": "2024-07-01",
                                                                         "lg_code": town, "note": "訪問"})
            return made

        def export(ctx: Any, name: str, **kw: Any) -> Path:
            path = root / f"{name}.jcimsync"
            sync.export_package(ctx, path, **kw)
            return path

        def merge(ctx: Any, path: Path) -> None:
            sync.import_checked(ctx, sync.check_package(ctx, path))

        made_a = populate(a, ("福山市", "呉市"))
        first_a = export(a, "a-first", include_contacts=True)
        merge(a2, first_a)
        merge(self.target, first_a)
        records.update(a2, "needs", made_a["need"].id, {"status": "matching"})  # concurrent with A's edit below
        merge(self.target, export(a2, "a2-first"))
        records.update(a, "needs", made_a["need"].id, {"title": "橋梁点検の効率化（改）"})
        records.update(a, "events", made_a["event"].id, {"participants": 150})
        records.update(a, "matchings", made_a["matching"].id, {"stages": [
            {"stage": "considered", "on": "2024-06-20", "note": "検討開始"}, {"stage": "established", "on": "2024-08-01"}]})
        records.delete(a, "needs", made_a["need2"].id)  # a tombstone the target holds live
        gone = records.create(a, "seeds", {"company": "合同会社トンネルラボ", "tech_name": "打音点検", "summary": "s",
                                           "facility_types": ["tunnel"]})
        records.delete(a, "seeds", gone.id)  # a tombstone the target never saw
        records.create(a, "support_activities", {"kind": "consultation", "on": "2024-08-02", "lg_code": lg("福山市")})
        base_a = export(a, "base-a", include_contacts=True)

        made_b = populate(b, ("京都市", "宇治市"))
        merge(self.target, export(b, "b-first"))
        records.update(b, "events", made_b["event"].id, {"participants": 80})
        records.update(b, "seeds", made_b["seed"].id, {"summary": "改訂"})
        records.update(b, "trials", made_b["trial"].id, {"status": "confirmed"})
        records.delete(b, "support_activities", made_b["support"].id)
        made_b2 = records.create(b, "needs", {"lg_code": lg("京都市"), "title": "下水道管路", "facility_types": ["sewerage"],
                                              "requirements": "r", "received_on": "2024-09-01", "status": "open"})
        records.update(b, "needs", made_b2.id, {"status": "matching"})
        base_b = export(b, "base-b")

        records.create(self.target, "support_activities", {"kind": "visit", "on": "2024-07-01", "lg_code": lg("京都市")},
                       owner="municipal_support")
        records.create(self.target, "events", {"title": "全国会議", "event_type": "meeting", "status": "planned",
                                               "planned": {"text": "未定", "start": None, "end": None,
                                                           "precision": "undecided", "tentative": True},
                                               "lg_codes": []}, owner="innovative_tech")
        records.create(self.target, "municipality_status", {"lg_code": lg("福山市"), "admin_member": True,
                                                            "mayors_council": True, "as_of": "2024-04-01"})
        records.create(self.target, "kpi_targets", {"fiscal_year": 2024, "kpi": "forums_held", "target": 50})
        records.create(self.target, "kpi_targets", {"fiscal_year": 2024, "kpi": "mayors_council_rate", "target": 0.7})

        keys_a, keys_a2, keys_b = (keys.load_private_key(c.key_dir) for c in (a, a2, b))
        self.bases = [take_apart("chugoku-a", "chugoku", base_a.read_bytes(), keys_a),
                      take_apart("kinki-b", "kinki", base_b.read_bytes(), keys_b)]
        self.sibling_key, self.sibling_installation = keys_a2, a2.installation_id
        self.untrusted_key = Ed25519PrivateKey.generate()
        self.trust = {a.public_key: frozenset({"chugoku"}), a2.public_key: frozenset({"chugoku"}),
                      b.public_key: frozenset({"kinki"})}
        self.bindings = {a.installation_id: a.public_key, a2.installation_id: a2.public_key,
                         b.installation_id: b.public_key}
        for ctx in (a, a2, b):
            ctx.close()

        self.tables = self._tables()
        self.stored_owner: dict[str, str] = {}
        self.stored_vv: dict[str, dict[str, int]] = {}
        self.victims: list[tuple[str, str, str]] = []  # (entity, id, owner)
        conn = sqlite3.connect(self.target.db.path)
        try:
            for entity, table in self.tables.items():
                for rid, owner, vv in conn.execute(f'SELECT id, owner, vv FROM "{table}"'):
                    self.stored_owner[rid] = owner
                    self.stored_vv[rid] = json.loads(vv)
                    self.victims.append((entity, rid, owner))
        finally:
            conn.close()
        self.pristine_target = root / "pristine-target.sqlite3"
        self.pristine_observer = root / "pristine-observer.sqlite3"
        copy_db(self.target.db.path, self.pristine_target)
        copy_db(self.observer.db.path, self.pristine_observer)
        self.pristine_dump = dump(self.target.db.path)
        self.pristine_observer_dump = dump(self.observer.db.path)
        self.pristine_clock = self.target.clock.last
        self.pristine_observer_clock = self.observer.clock.last
        self.work = root / "work"
        self.work.mkdir()

    # -- helpers used by crafters ------------------------------------------------------

    def sibling(self, base: Base) -> tuple[Ed25519PrivateKey, str]:
        """Another installation's key trusted for ``base.org`` (or an untrusted one), and its id."""
        if base.org == "chugoku":
            return self.sibling_key, self.sibling_installation
        return self.untrusted_key, str(uuid.UUID(int=7, version=4))

    def new_envelope(self, base: Base, data: dict[str, Any], salt: Any) -> dict[str, Any]:
        """A valid envelope of a new record of ``base``'s org (its id derived from ``salt``)."""
        millis = int(time.time() * 1000) - 3_600_000
        rid = det_uuid(base.name, salt, data)
        return {"id": rid, "owner": base.org, "hlc": f"{millis:013d}-{int(rid[:4], 16) % 100000:05d}-{base.installation}",
                "vv": {base.installation: 1}, "deleted": False, "data": data}

    def _tables(self) -> dict[str, str]:
        from jcim_desktop.store.models import MODELS

        return {entity: model.__tablename__ for entity, model in MODELS.items()}  # type: ignore[attr-defined]

    # -- running ----------------------------------------------------------------------

    def restore(self) -> None:
        from jcim_desktop.domain.versioning import HybridClock

        for ctx, pristine, clock in ((self.target, self.pristine_target, self.pristine_clock),
                                     (self.observer, self.pristine_observer, self.pristine_observer_clock)):
            ctx.db.engine.dispose()
            copy_db(pristine, ctx.db.path)
            ctx.clock = HybridClock(ctx.installation_id, clock)

    def judge(self, m: Mutation) -> Verdict:
        from jcim_desktop.errors import UserError

        try:
            crafted = craft(self, m)
        except Exception as exc:  # a bug of the mutation itself: report it as such
            return Verdict("crash", m, where="craft (test helper)", exception=f"{type(exc).__name__}: {exc}",
                           trace=_short_trace(exc))
        path = self.work / "mutated.jcimsync"
        path.write_bytes(crafted.data)
        verdict = Verdict("accepted", m, crafted.expect, detail=crafted.why)
        stage = "check_package"
        try:
            checked = self.sync.check_package(self.target, path)
            stage = "import_checked"
            self.sync.import_checked(self.target, checked)
        except UserError as exc:
            verdict.kind, verdict.code = "rejected", getattr(exc, "code", type(exc).__name__)
            verdict.detail = f"{crafted.why} | {exc.message[:300]}".strip(" |")
            dirty = []
            if dump(self.target.db.path) != self.pristine_dump:
                dirty.append("the database changed")
            if self.target.clock.last != self.pristine_clock:
                dirty.append(f"the clock moved to {self.target.clock.last[:19]}")
            if dirty:
                verdict.kind = "rejected_dirty"
                verdict.detail += " | " + "; ".join(dirty)
                self.restore()
            elif crafted.expect == ACCEPT:
                verdict.kind = "rejected_allowed"
            return verdict
        except Exception as exc:  # noqa: BLE001 - the point of the exercise
            verdict.kind, verdict.where = "crash", stage
            verdict.exception = f"{type(exc).__name__}: {str(exc)[:300]}"
            verdict.trace = _short_trace(exc)
            self.restore()
            return verdict
        try:
            problems = self._check_accepted(crafted, path)
        except Exception as exc:  # noqa: BLE001
            problems = [f"checking the acceptance raised {type(exc).__name__}: {str(exc)[:200]}"]
            verdict.trace = _short_trace(exc)
        finally:
            self.restore()
        if crafted.expect == REJECT:
            verdict.kind = "accepted_forbidden"
            verdict.detail = f"{crafted.why} | " + "; ".join(problems[:5])
        elif problems:
            verdict.kind = "accepted_broken"
            verdict.detail = f"{crafted.why} | " + "; ".join(problems[:8])
        return verdict

    def _check_accepted(self, crafted: Crafted, path: Path) -> list[str]:
        """Independent checks of an accepted package (the target holds it, not yet restored)."""
        from jcim_desktop.errors import UserError
        from jcim_desktop.sync.package import read_package

        problems = contract_problems(crafted.data, self.trust, self.stored_owner, self.bindings)
        try:
            read_package(path)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"read_package refuses it afterwards: {type(exc).__name__}: {str(exc)[:150]}")
        # What the target now stores under the package's ids.
        pkg_records = self._package_records(crafted.data)
        conn = sqlite3.connect(self.target.db.path)
        try:
            key = json.loads(zipfile.ZipFile(io.BytesIO(crafted.data)).read("manifest.json")).get("public_key")
            allowed = self.trust.get(key, frozenset())
            for entity, env in pkg_records:
                table = self.tables.get(entity)
                rid = env.get("id")
                if table is None or not isinstance(rid, str):
                    continue
                rows = conn.execute(f'SELECT id, owner FROM "{table}" WHERE lower(id) = lower(?)', (rid,)).fetchall()
                if len(rows) != 1:
                    problems.append(f"{entity} {rid[:40]!r}: {len(rows)} stored rows")
                for stored_id, owner in rows:
                    if not CANONICAL.fullmatch(stored_id):
                        problems.append(f"{entity}: stored id {stored_id!r} is not canonical")
                    if owner not in allowed:
                        problems.append(f"{entity} {stored_id}: stored owner {owner!r} not trusted for the signing key")
            hlc_last = conn.execute("SELECT hlc_last FROM installation").fetchone()[0]
        finally:
            conn.close()
        now = int(time.time() * 1000)
        for stamp, what in ((self.target.clock.last, "clock"), (hlc_last or "", "stored hlc_last")):
            match = HLC.fullmatch(stamp)
            if match and int(match.group(1)) > now + DAY_MS + 60_000:
                problems.append(f"the target's {what} is {(int(match.group(1)) - now) / 3.6e6:.0f} h ahead")
        # The target can still export, and a fresh installation trusting it accepts the export.
        out = self.work / "reexport.jcimsync"
        try:
            self.sync.export_package(self.target, out, scope="national", include_contacts=True)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"the target cannot export any more: {type(exc).__name__}: {str(exc)[:200]}")
            return problems
        reexport = out.read_bytes()
        problems += [f"re-export: {p}" for p in self._reexport_problems(reexport)]
        try:
            checked = self.sync.check_package(self.observer, out)
            self.sync.import_checked(self.observer, checked)
        except UserError as exc:
            problems.append(f"a fresh installation rejects the re-export: {getattr(exc, 'code', '')} {exc.message[:200]}")
        except Exception as exc:  # noqa: BLE001
            problems.append(f"a fresh installation crashes on the re-export: {type(exc).__name__}: {str(exc)[:200]}")
        # Unknown data fields of records the target took (new, or newer): written back unchanged.
        exported = {env["id"]: env for _, env in self._package_records(reexport)}
        for entity, env in pkg_records:
            if entity not in CONTRACT_FIELDS or not isinstance(env.get("data"), dict) or env.get("deleted"):
                continue
            unknown = {k: v for k, v in env["data"].items() if k not in CONTRACT_FIELDS[entity]}
            if not unknown or not self.taken(env):
                continue
            got = exported.get(env["id"], {}).get("data", {})
            lost = [k for k, v in unknown.items() if k not in got or not _same_json(got[k], v)]
            if lost:
                problems.append(f"{entity} {env['id']}: unknown data fields not written back unchanged: {lost[:3]}")
        return problems

    def taken(self, env: dict[str, Any]) -> bool:
        """Whether the target must store this version: new to it, or its vv dominates the stored one."""
        stored = self.stored_vv.get(str(env.get("id")).lower())
        vv = env.get("vv")
        if stored is None:
            return True
        if not isinstance(vv, dict):
            return False
        keys = set(stored) | set(vv)
        ge = all(vv.get(k, 0) >= stored.get(k, 0) for k in keys)
        return ge and any(vv.get(k, 0) > stored.get(k, 0) for k in keys)

    def _reexport_problems(self, data: bytes) -> list[str]:
        trust = {public_b64_of(self.target): frozenset(ORG_CODES)}
        return contract_problems(data, trust, {}, {})

    @staticmethod
    def _package_records(data: bytes) -> list[tuple[str, dict[str, Any]]]:
        out = []
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                match = RECORDS_PATH.fullmatch(info.orig_filename)
                if not match:
                    continue
                for line in zf.read(info).split(b"\n"):
                    if not line.strip():
                        continue
                    try:
                        env = json.loads(line)
                    except (ValueError, RecursionError):
                        continue
                    if isinstance(env, dict):
                        out.append((match.group(1), env))
        return out

    def close(self) -> None:
        self.target.close()
        self.observer.close()


def public_b64_of(ctx: Any) -> str:
    return str(ctx.public_key)


def _same_json(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def build_world(root: Path) -> World:
    root.mkdir(parents=True, exist_ok=True)
    return World(root)
