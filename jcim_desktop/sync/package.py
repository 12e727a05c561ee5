"""Writing and reading ``.jcimsync`` packages (SYNC_FORMAT.md §2–§3): zip, manifest, signature.

Pure I/O and crypto: no database, no Qt. ``read_package`` checks every structural rule of
SYNC_FORMAT §2 *before* it returns anything, and never extracts to disk (DESIGN.md, "Zip"):

1. the zip structure and limits, from the central directory and the local headers only
   (member names, kinds, counts, declared sizes, compression ratio, encryption, overlapping
   entries — CPython 3.11.7 lacks the CVE-2024-0450 fix, so these checks are our own);
2. the manifest and its Ed25519 signature;
3. every records file: SHA-256, line count, and the shape of every envelope.

What it does not decide: whether the signing key is trusted for the owners in the package,
and whether each record's ``data`` is valid. The caller does both, before writing anything.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import gc
import hashlib
import io
import itertools
import json
import math
import os
import re
import stat
import struct
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeGuard

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jcim_desktop.domain.entities import ENTITIES, MAX_TEXT
from jcim_desktop.domain.orgs import ORGS, org_name
from jcim_desktop.domain.versioning import CANONICAL_UUID, MAX_CLOCK_AHEAD_MS, MAX_SAFE_INT
from jcim_desktop.errors import UserError
from jcim_desktop.store.tempfiles import replacing
from jcim_desktop.sync import age
from jcim_desktop.sync.keys import key_id as _key_id
from jcim_desktop.sync.keys import load_public_key, public_key_b64

if TYPE_CHECKING:
    from pyrage import x25519

FORMAT = "jcimsync"
FORMAT_VERSION = 1

MAX_MEMBERS = 64
MAX_MEMBER_SIZE = 256 * 1024**2
MAX_RATIO = 200
MAX_TOTAL = 1024**3

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SCOPES: tuple[str, ...] = ("org", "national")
ENVELOPE_KEYS: tuple[str, ...] = ("id", "owner", "hlc", "vv", "deleted", "data")
# An optional envelope field of a later revision (SYNC_FORMAT §4): who made the last change.
BY = "by"
# SYNC_FORMAT §2, stricter rules: text that cannot be stored faithfully.
MAX_STRING = MAX_TEXT  # characters in any JSON string
MAX_LINE = 1024**2  # bytes in one record line
# Objects and arrays inside one another: a record must be written back out as received, and
# orjson writes at most 254 levels; the fast path (orjson both ways) meets this by itself.
MAX_DEPTH = 254

_RECORDS_PATH_RE = re.compile(r"records/([a-z][a-z0-9_]*)\.jsonl")
_ENTITY_RE = re.compile(r"[a-z][a-z0-9_]*")
_UUID_RE = CANONICAL_UUID
_SHA256_RE = re.compile(r"[0-9a-fA-F]{64}")
_DRIVE_RE = re.compile(r"[A-Za-z]:")
# Exactly what HlcStamp.parse accepts (13 ASCII digits, 5 ASCII digits, a canonical UUID), at a
# fifth of its cost; tests/sync/test_package.py checks that the two agree.
_HLC_RE = re.compile(r"[0-9]{13}-[0-9]{5}-" + CANONICAL_UUID.pattern)
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_ENVELOPE_KEY_SET = frozenset(ENVELOPE_KEYS)
_ENVELOPE_KEY_SET_BY = frozenset((*ENVELOPE_KEYS, BY))
_KNOWN_ENTITIES = frozenset(ENTITIES)

# The local file header (APPNOTE 4.3.7): signature, versions, flags, method, time, date, CRC,
# sizes, then the lengths of the name and of the extra field that follow the 30 fixed bytes.
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_HEADER_SIGNATURE = b"PK\x03\x04"
_FLAG_ENCRYPTED = 0x01
_DOS_DIRECTORY = 0x10
_ALLOWED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# A central directory of MAX_MEMBERS entries is a few KiB; anything far bigger is refused
# before zipfile builds one object per entry.
_MAX_CENTRAL_DIRECTORY = MAX_MEMBERS * 4096
# zlib level: 6 (the default) costs about 0.4 s more per 100,000 records than 3 and saves ~18 %.
_COMPRESS_LEVEL = 3
_READ_CHUNK = 1024 * 1024
_WRITE_BUFFER = 1024 * 1024
_PROGRESS_EVERY = 1000

_RESEND = "送り主に確認のうえ、書き出し直したパッケージを送ってもらってください。"


class PackageRejected(UserError):
    """A package that must not be merged. ``code`` is a stable reason; ``message`` is Japanese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FileEntry:
    path: str
    sha256: str
    records: int

    @property
    def entity(self) -> str:
        match = _RECORDS_PATH_RE.fullmatch(self.path)
        assert match is not None  # checked when the manifest was read or written
        return match.group(1)


@dataclass(frozen=True)
class Manifest:
    raw: dict[str, Any]
    package_id: str
    created_at: str
    origin_org: str
    origin_installation: str
    app_version: str
    sequence: int
    scope: str
    public_key: str
    files: tuple[FileEntry, ...]
    includes_contacts: bool | None
    age_recipient: str | None = None
    """The writer's age recipient (``age1…``), to which others encrypt (§7; an optional field)."""

    @property
    def key_id(self) -> str:
        return _key_id(self.public_key)


@dataclass
class Package:
    manifest: Manifest
    manifest_bytes: bytes
    # entity -> envelopes (parsed, shape-checked), in file order; only entities this version knows.
    records: dict[str, list[dict[str, Any]]]
    # records/<name>.jsonl files whose entity this version does not know (a later version's):
    # never merged, but read like the others (§3: every line of every records file is an
    # envelope), so that their ids count as ids of the package and their owners need trust.
    unknown_entities: list[str]
    unknown_owners: set[str] = field(default_factory=set)
    encrypted: bool = False
    """Whether the package arrived encrypted with age (§7) and was decrypted in memory."""

    def owners(self) -> set[str]:
        """Every owner of every record in the package, unknown entities included (for trust checks)."""
        found = set(self.unknown_owners)
        for envelopes in self.records.values():
            found.update(env["owner"] for env in envelopes)
        return found

    def record_count(self) -> int:
        """The number of records to merge (entities this version knows)."""
        return sum(len(envelopes) for envelopes in self.records.values())


# --------------------------------------------------------------------------------------
# Shared checks
# --------------------------------------------------------------------------------------


def _is_uuid(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and _UUID_RE.fullmatch(value) is not None


def envelope_problem(obj: object) -> str | None:
    """Why ``obj`` is not a well-shaped SYNC_FORMAT §3 envelope (Japanese), or ``None``.

    Fields a later version may add to the envelope are ignored (forward compatibility, §2).
    """
    if type(obj) is not dict:
        return "JSON オブジェクトではありません"
    if not _ENVELOPE_KEY_SET.issubset(obj.keys()):
        missing = [k for k in ENVELOPE_KEYS if k not in obj]
        return "項目 " + "・".join(missing) + " がありません"
    if not _is_uuid(obj["id"]):
        return f"id{_show(obj['id'])}が小文字の正しい UUID（8-4-4-4-12 桁の 16 進数）ではありません"
    owner = obj["owner"]
    if not isinstance(owner, str) or owner not in ORGS:
        return f"owner{_show(owner)}は既知の組織コードではありません"
    hlc = obj["hlc"]
    if not isinstance(hlc, str):
        return "hlc が文字列ではありません"
    if _HLC_RE.fullmatch(hlc) is None:
        return (f"hlc{_show(hlc)}の形式が正しくありません（13 桁の時刻-5 桁のカウンタ-小文字の UUID の形が"
                "必要です）")
    vv = obj["vv"]
    if type(vv) is not dict or not vv:
        return "vv（バージョンベクタ）が空か、JSON オブジェクトではありません"
    for node, counter in vv.items():
        # vv_is_valid, for the exact types JSON gives: canonical UUID -> int from 1 to 2^53 - 1.
        if _UUID_RE.fullmatch(node) is None:
            return f"vv（バージョンベクタ）の端末ID{_show(node)}が小文字の正しい UUID ではありません"
        if type(counter) is not int or not 1 <= counter <= MAX_SAFE_INT:
            return (f"vv（バージョンベクタ）の{_show(node)}の値{_show(counter)}は 1 から 2^53−1 までの"
                    "整数ではありません")
    deleted = obj["deleted"]
    if type(deleted) is not bool:
        return "deleted が true / false ではありません"
    data = obj["data"]
    if type(data) is not dict:
        return "data が JSON オブジェクトではありません"
    if not data and not deleted:
        return "data が空です（空の data は削除済みの記録にだけ許されます）"
    by = obj.get(BY)
    if by is not None and type(by) is not str:
        return (f"by（最後に変更した人の名前）{_show(by)}が文字列ではありません（名前の文字列にするか、"
                "項目を省いてください）")
    return None


def _show(value: object, limit: int = 60) -> str:
    """A short, printable rendering of untrusted text for messages."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text[: limit + 1])
    if len(text) > limit:
        text = text[:limit] + "…"
    return f"「{text}」"


def _reject(code: str, message: str) -> NoReturn:
    raise PackageRejected(code, message)


class _JsonRefused(ValueError):
    """A JSON text that parses but breaks a rule of SYNC_FORMAT §2 (message in Japanese)."""


def _no_constants(name: str) -> Any:
    raise _JsonRefused(f"JSON では使えない値 {name} があります")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _JsonRefused(f"数値 {text[:40]} が大きすぎます（有限の数ではありません）")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _JsonRefused(f"同じ項目名{_show(key)}が 1 つのオブジェクトに 2 回以上あります")
            seen.add(key)
    return obj


def _json_problem(exc: Exception) -> str:
    """A Japanese description of why a JSON text was refused."""
    if isinstance(exc, RecursionError):
        return "JSON として読めません（入れ子が深すぎます）"
    if isinstance(exc, _JsonRefused):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return f"JSON として読めません（{exc.colno} 文字目付近）"
    return f"JSON として読めません（{exc}）"  # e.g. the interpreter's limit on the digits of an integer


# The strict reader: duplicate keys, NaN / Infinity and numbers that overflow to infinity are
# refused. It is the slow path; records written compactly (as every writer of this format does)
# take the fast path of ``parse_json``.
_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constants, parse_float=_finite_float)


def text_problem(obj: Any) -> tuple[str, str] | None:
    """(field path, Japanese problem) for the first string in ``obj`` that cannot be stored faithfully.

    SYNC_FORMAT §2: no U+0000, no unpaired surrogate, no string longer than 100,000 characters;
    object keys are strings too.
    """
    stack: list[tuple[Any, str]] = [(obj, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                problem = _string_problem(key)
                if problem is not None:
                    return where or "（項目名）", "項目名" + problem
                stack.append((item, f"{where}.{key}" if where else key))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, str):
            problem = _string_problem(value)
            if problem is not None:
                return where, problem
    return None


def _string_problem(text: str) -> str | None:
    if len(text) > MAX_STRING:
        return f"の文字列が長すぎます（{len(text):,} 文字、上限 {MAX_STRING:,} 文字）"
    if "\x00" in text:
        return "に NUL 文字（U+0000）が含まれています"
    if _SURROGATE_RE.search(text) is not None:
        return "に対になっていないサロゲート（\\ud800 など、文字として保存できない値）が含まれています"
    return None


def _too_deep(obj: Any) -> bool:
    """Whether ``obj`` nests deeper than ``MAX_DEPTH`` (what could not be written back out)."""
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_json(raw: bytes) -> Any:
    """Parse one JSON text under the rules of SYNC_FORMAT §2; ``_JsonRefused`` / ``ValueError`` if it breaks one.

    Fast path: ``orjson`` parses, and if serialising the result gives back the very same bytes,
    the text had no duplicate key (a dropped key would be missing from the output). Anything
    else (pretty-printed JSON, escapes written differently, errors) is read again strictly.
    Text rules are checked whenever the bytes could break them.
    """
    try:
        obj = orjson.loads(raw)
        fast = orjson.dumps(obj) == raw
    except (orjson.JSONDecodeError, TypeError):
        fast = False
    if not fast:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _JsonRefused("UTF-8 のテキストではありません") from exc
        obj = _DECODER.decode(text)
        if _too_deep(obj):
            raise _JsonRefused(f"入れ子が深すぎます（上限 {MAX_DEPTH} 段）")
    if not fast or b"\\u0000" in raw or len(raw) > MAX_STRING:
        problem = text_problem(obj)
        if problem is not None:
            where, what = problem
            raise _JsonRefused(f"項目 {where} " + what if where else "文字列" + what)
    return obj


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def write_package(
    path: Path,
    records: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    origin_org: str,
    installation_id: str,
    app_version: str,
    sequence: int,
    scope: str,
    private_key: Ed25519PrivateKey,
    includes_contacts: bool,
    created_at: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    data_dir: Path | None = None,
    encrypt_to: Sequence[str] = (),
    age_recipient: str | None = None,
) -> Manifest:
    """Write a signed package to ``path`` atomically and return its manifest.

    With ``encrypt_to`` (age recipients, ``age1…``) the signed package is built in memory and
    only its encryption (age binary format, §7) is written: no plaintext reaches the disk.
    ``age_recipient`` (the writer's own recipient) goes into the manifest for others to
    encrypt to.

    ``records`` maps an entity to its envelopes (only the six envelope keys are written, and
    ``by`` when an envelope has one that is not None).
    ``progress(done, total)`` is called now and then; ``total`` is 0 when the iterables have
    no length. Nothing is ever left half-written under ``path``: the package is built in a
    temporary file next to it, synced to disk, then renamed over ``path``. With ``data_dir``
    the temporary file is recorded there while it is written, so that one left by a killed
    process is removed at the next start (``store.tempfiles``). ``OSError`` is the caller's
    to turn into a message (disk full, read-only folder).
    """
    if origin_org not in ORGS:
        raise ValueError(f"unknown org code: {origin_org!r}")
    if not _is_uuid(installation_id):
        raise ValueError(f"installation_id is not a UUID: {installation_id!r}")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}: {scope!r}")
    if type(sequence) is not int or sequence < 0:
        raise ValueError(f"sequence must be a non-negative int: {sequence!r}")
    if not isinstance(app_version, str):
        raise ValueError(f"app_version must be a str: {app_version!r}")
    for entity in records:
        if not _ENTITY_RE.fullmatch(entity):
            raise ValueError(f"entity name not allowed in a package: {entity!r}")
    if len(records) + 2 > MAX_MEMBERS:
        raise ValueError(f"too many entity files for one package: {len(records)}")
    recipients = [age.check_recipient(r) for r in encrypt_to]  # ValueError (Japanese) before any work

    stamp = (created_at or datetime.now()).astimezone().replace(microsecond=0)
    sizes = [len(it) if isinstance(it, Sized) else None for it in records.values()]
    total = sum(n for n in sizes if n is not None) if None not in sizes else 0
    with _output(Path(path), data_dir, recipients) as raw, zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        files, done = _write_records(zf, records, stamp, total, progress)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "package_id": str(uuid.uuid4()),
            "created_at": stamp.isoformat(timespec="seconds"),
            "origin": {"org": origin_org, "installation": installation_id, "app_version": app_version},
            "sequence": sequence,
            "scope": scope,
            "public_key": public_key_b64(private_key),
            "files": files,
            "includes_contacts": bool(includes_contacts),
        }
        if age_recipient is not None:
            manifest["age_recipient"] = age_recipient
        manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        signature = base64.b64encode(private_key.sign(manifest_bytes)) + b"\n"
        _write_member(zf, MANIFEST, manifest_bytes, stamp)
        _write_member(zf, SIGNATURE, signature, stamp)
    if progress is not None:
        progress(done, total or done)
    return _manifest_from(manifest)


def _write_records(
    zf: zipfile.ZipFile,
    records: Mapping[str, Iterable[Mapping[str, Any]]],
    stamp: datetime,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[dict[str, Any]], int]:
    files: list[dict[str, Any]] = []
    done = 0
    grand_total = 0
    for entity, iterable in records.items():
        it: Iterator[Mapping[str, Any]] = iter(iterable)
        first = next(it, None)
        if first is None:
            continue  # no empty files
        member = f"records/{entity}.jsonl"
        info = _zip_info(member, stamp)
        digest = hashlib.sha256()
        count = 0
        size = 0
        buffer: list[bytes] = []
        buffered = 0
        with zf.open(info, "w") as out:

            # Bound here: each member's records are flushed by the closure made for that member.
            def flush(buffer: list[bytes] = buffer, digest: Any = digest, entity: str = entity,
                      grand_total: int = grand_total) -> None:
                nonlocal buffered, size
                chunk = b"".join(buffer)
                buffer.clear()
                buffered = 0
                size += len(chunk)
                if size > MAX_MEMBER_SIZE or grand_total + size > MAX_TOTAL:
                    raise UserError(
                        f"「{entity}」の記録が多すぎて 1 つのパッケージに収まりません（上限 "
                        f"{MAX_MEMBER_SIZE // 1024**2} MiB、合計 {MAX_TOTAL // 1024**3} GiB）。"
                    )
                digest.update(chunk)
                out.write(chunk)

            for rec in _chain_first(first, it):
                try:
                    env = rec if type(rec) is dict and rec.keys() in (_ENVELOPE_KEY_SET, _ENVELOPE_KEY_SET_BY) \
                        else _envelope_of(rec)
                except KeyError as exc:
                    raise UserError(f"書き出す「{entity}」の {count + 1} 件目に項目 {exc.args[0]} がありません。") from exc
                problem = envelope_problem(env)
                if problem is not None:
                    raise UserError(f"書き出す「{entity}」の {count + 1} 件目（id{_show(env['id'])}）: {problem}。")
                try:
                    # Compact, and exactly what orjson gives back on reading: the reader's fast path.
                    line = orjson.dumps(env)
                except (TypeError, ValueError) as exc:
                    raise UserError(
                        f"書き出す「{entity}」の {count + 1} 件目（id{_show(env['id'])}）を JSON にできません: {exc}"
                    ) from exc
                unstorable = text_problem(env) if b"\\u0000" in line or len(line) > MAX_STRING else None
                if unstorable is not None:
                    raise UserError(
                        f"書き出す「{entity}」の記録（id {env['id']}）の項目 {unstorable[0]} {unstorable[1]}。"
                        "受け取る側で拒否されるため書き出せません。その記録を開いて直してから書き出してください。"
                    )
                if len(line) > MAX_LINE:
                    raise UserError(
                        f"書き出す「{entity}」の記録（id {env['id']}）が大きすぎます（{len(line):,} バイト、"
                        f"1 件の上限 {MAX_LINE:,} バイト）。長い文章を短くしてから書き出してください。"
                    )
                buffer.append(line)
                buffer.append(b"\n")
                buffered += len(line) + 1
                count += 1
                if buffered >= _WRITE_BUFFER:
                    flush()
                done += 1
                if progress is not None and done % _PROGRESS_EVERY == 0:
                    progress(done, total)
            if buffer:
                flush()
        grand_total += size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise UserError(f"「{entity}」の記録の圧縮率が高すぎ、受け取る側で拒否されるため書き出せません。")
        files.append({"path": member, "sha256": digest.hexdigest(), "records": count})
    return files, done


def _envelope_of(rec: Mapping[str, Any]) -> dict[str, Any]:
    """The envelope fields of ``rec`` that are written: the six of §3, and ``by`` when known."""
    env = {k: rec[k] for k in ENVELOPE_KEYS}
    if rec.get(BY) is not None:
        env[BY] = rec[BY]
    return env


@contextlib.contextmanager
def _output(path: Path, data_dir: Path | None, recipients: Sequence[str]) -> Iterator[IO[bytes]]:
    """Where a package is written: the temporary file that replaces ``path``, or, to encrypt it
    (§7), memory, whose age encryption alone goes to that file once the package is complete."""
    with replacing(path, data_dir) as raw:
        if not recipients:
            yield raw
            return
        plain = io.BytesIO()
        yield plain
        raw.write(age.encrypt(plain.getbuffer(), recipients))


def _chain_first(first: Mapping[str, Any], rest: Iterator[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    yield first
    yield from rest


def _zip_info(name: str, stamp: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so that the mode below says "regular file"
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    # ZipFile.open(ZipInfo, "w") ignores ZipFile(compresslevel=...); the level lives on the ZipInfo
    # ("_compresslevel" up to 3.12, "compress_level" from 3.13).
    setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", _COMPRESS_LEVEL)
    return info


def _write_member(zf: zipfile.ZipFile, name: str, data: bytes, stamp: datetime) -> None:
    with zf.open(_zip_info(name, stamp), "w") as out:
        out.write(data)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def read_package(
    source: Path | bytes,
    *,
    now_ms: int | None = None,
    identities: Callable[[], Sequence[x25519.Identity]] | None = None,
) -> Package:
    """Check a package completely and return its contents; ``PackageRejected`` if any rule fails.

    ``source`` is a path or the package's bytes. Nothing is written anywhere. ``now_ms`` is the
    reader's clock (milliseconds since the epoch; default: now), against which stamps from the
    future are refused. A package encrypted with age (§7: recognised by its header, whatever
    its name) is first decrypted in memory with the identities ``identities()`` gives (asked
    for only then); when none opens it, it is rejected with the reason of §7.

    All the records are held in memory: for small packages and tests. Importing uses
    ``scan_package`` and reads the records again in batches (``ScannedPackage.batches``).
    """
    scanned = scan_package(source, now_ms=now_ms, identities=identities)
    records = {entity: [env for batch in scanned.batches(entity) for _line, env in batch] for entity in scanned.counts}
    return Package(manifest=scanned.manifest, manifest_bytes=scanned.manifest_bytes, records=records,
                   unknown_entities=list(scanned.unknown_entities), unknown_owners=set(scanned.unknown_owners),
                   encrypted=scanned.encrypted)


BATCH = 5000
"""Records per batch when a package's records are read again for merging: memory stays bounded
whatever the package's size."""


@dataclass
class ScannedPackage:
    """A package that passed every structural rule of §2 in one streaming pass (zip, manifest,
    signature, every records file's SHA-256 and line count, every envelope's shape, ids unique,
    clocks), with what the pass learnt; its records are not kept. ``batches`` reads them again.
    """

    manifest: Manifest
    manifest_bytes: bytes
    counts: dict[str, int]
    """Records per entity this version knows, in the manifest's order (no others are merged)."""
    owners: set[str]
    """Every owner of every record, unknown entities included (for trust checks)."""
    unknown_entities: list[str]
    unknown_owners: set[str]
    encrypted: bool
    _source: Path | bytes
    """The file (read again, and refused if it changed), or the plaintext held in memory."""
    _stamp: tuple[int, int, int] | None

    def record_count(self) -> int:
        """The number of records to merge (entities this version knows)."""
        return sum(self.counts.values())

    def batches(self, entity: str, size: int | None = None) -> Iterator[list[tuple[int, dict[str, Any]]]]:
        """The records of ``entity`` read again, as lists of (line number, envelope) of at most
        ``size`` (default ``BATCH``). The file is checked to be the one scanned (``PackageRejected`` otherwise): its
        size and time, the manifest's bytes, and each records file's SHA-256 at its end, so a
        caller merging inside a transaction rolls back if the file changed under it."""
        entry = next((e for e in self.manifest.files if e.entity == entity), None)
        if entry is None:
            return
        size = size or BATCH
        with self._opened() as fp:
            zf = _open_zip(fp)
            with zf:
                members = _check_structure(zf, fp)
                if _read_member(zf, members[MANIFEST]) != self.manifest_bytes:
                    _changed()
                batch: list[tuple[int, dict[str, Any]]] = []
                loads = orjson.loads
                for number, line in enumerate(_member_lines(zf, members[entry.path], entry), start=1):
                    try:
                        obj = loads(line)
                    except orjson.JSONDecodeError:
                        obj = parse_json(line)  # what the strict reader accepted in the scan
                    batch.append((number, obj))
                    if len(batch) >= size:
                        yield batch
                        batch = []
                if batch:
                    yield batch

    @contextlib.contextmanager
    def _opened(self) -> Iterator[IO[bytes]]:
        if isinstance(self._source, bytes):
            yield io.BytesIO(self._source)
            return
        try:
            fp = open(self._source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            _reject("unreadable", f"ファイル{_show(str(self._source), 120)}を開けません（{exc.strerror or exc}）。")
        with fp:
            if _file_stamp(fp) != self._stamp:
                _changed()
            yield fp


def _file_stamp(fp: IO[bytes]) -> tuple[int, int, int]:
    st = os.fstat(fp.fileno())
    return st.st_size, st.st_mtime_ns, st.st_ino


def _changed() -> NoReturn:
    _reject("changed", "確認したあとでパッケージのファイルが変わりました。何も取り込んでいません。もう一度取り込んでください。")


def scan_package(
    source: Path | bytes,
    *,
    now_ms: int | None = None,
    identities: Callable[[], Sequence[x25519.Identity]] | None = None,
) -> ScannedPackage:
    """Check a package in one streaming pass (see ``read_package``), keeping none of its records:
    memory does not grow with the package (the ids seen, 16 bytes each, apart)."""
    if now_ms is None:
        now_ms = time.time_ns() // 1_000_000
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if age.is_encrypted(data[: age.HEAD_SIZE]):
            return _scan_encrypted(data, now_ms, identities)
        return _scan(io.BytesIO(data), now_ms, data, None)
    try:
        fp = open(Path(source), "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        _reject("unreadable", f"ファイル{_show(str(source), 120)}を開けません（{exc.strerror or exc}）。ファイルの場所と名前を確かめてください。")
    with fp:
        try:
            encrypted = age.is_encrypted(fp.read(age.HEAD_SIZE))
            fp.seek(0)
            if encrypted:
                size = os.fstat(fp.fileno()).st_size
                if size > MAX_ENCRYPTED:
                    _too_large_encrypted(size)
                data = fp.read(MAX_ENCRYPTED + 1)
        except OSError as exc:
            _reject("unreadable", f"ファイル{_show(str(source), 120)}を読めません（{exc.strerror or exc}）。")
        if encrypted:
            return _scan_encrypted(data, now_ms, identities)
        return _scan(fp, now_ms, Path(source), _file_stamp(fp))


MAX_ENCRYPTED = MAX_TOTAL + 64 * 1024**2
"""The largest encrypted package read (it is decrypted in memory): a package's limit and some room."""


def _too_large_encrypted(size: int) -> NoReturn:
    _reject(
        "total_too_large",
        f"暗号化されたパッケージが大きすぎます（{size:,} バイト、上限 {MAX_ENCRYPTED // 1024**2:,} MiB）。"
        "このファイルは読み込めません。送り主に確認してください。",
    )


def _scan_encrypted(
    data: bytes, now_ms: int, identities: Callable[[], Sequence[x25519.Identity]] | None
) -> ScannedPackage:
    """§7: decrypt in memory first (or reject, nothing written), then every rule of §2 applies."""
    if len(data) > MAX_ENCRYPTED:
        _too_large_encrypted(len(data))
    try:
        plain = age.decrypt(data, identities() if identities is not None else ())
    except age.NotForThisComputer as exc:
        _reject(exc.code, exc.message)
    scanned = _scan(io.BytesIO(plain), now_ms, plain, None)
    scanned.encrypted = True
    return scanned


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building many small objects (2-3x faster)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _scan(fp: IO[bytes], now_ms: int, source: Path | bytes, stamp: tuple[int, int, int] | None) -> ScannedPackage:
    zf = _open_zip(fp)
    with zf, _gc_paused():
        members = _check_structure(zf, fp)
        if MANIFEST not in members:
            _reject("missing_manifest", "パッケージに manifest.json がありません。" + _RESEND)
        if SIGNATURE not in members:
            _reject("missing_signature", "パッケージに署名（manifest.sig）がありません。" + _RESEND)
        manifest_bytes = _read_member(zf, members[MANIFEST])
        manifest = _parse_manifest(manifest_bytes)
        _verify_signature(manifest, manifest_bytes, _read_member(zf, members[SIGNATURE]))

        present = {name for name in members if name not in (MANIFEST, SIGNATURE)}
        listed = {entry.path for entry in manifest.files}
        if present - listed:
            _reject(
                "file_mismatch",
                f"パッケージの{_names(present - listed)}が manifest.json に載っていません。" + _RESEND,
            )
        if listed - present:
            _reject(
                "file_mismatch",
                f"manifest.json に載っている{_names(listed - present)}がパッケージにありません。" + _RESEND,
            )

        counts: dict[str, int] = {}
        unknown: list[str] = []
        reader = _RecordReader(manifest, now_ms, zf, members)
        for entry in manifest.files:
            known = entry.entity in _KNOWN_ENTITIES
            count = reader.scan(entry, members[entry.path], known)
            if known:
                counts[entry.entity] = count
            else:
                unknown.append(entry.entity)
        reader.check_clock()
    return ScannedPackage(manifest=manifest, manifest_bytes=manifest_bytes, counts=counts,
                          owners=reader.owners | reader.unknown_owners, unknown_entities=unknown,
                          unknown_owners=reader.unknown_owners, encrypted=False, _source=source, _stamp=stamp)


def _names(names: Iterable[str]) -> str:
    return "・".join(_show(n) for n in sorted(names))


_CORRUPT = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error, zlib.error,
            IndexError, KeyError, NotImplementedError, OverflowError)


def _not_zip(detail: str = "") -> NoReturn:
    _reject(
        "not_zip",
        "このファイルは同期パッケージ（.jcimsync）ではないか、壊れています"
        + (f"（{detail}）" if detail else "")
        + "。正しいファイルを選んだか確かめ、壊れている場合は送り主に再送を依頼してください。",
    )


def _open_zip(fp: IO[bytes]) -> zipfile.ZipFile:
    # Refuse a huge central directory before zipfile turns every entry of it into an object.
    end_rec_data = getattr(zipfile, "_EndRecData", None)
    if end_rec_data is not None:
        try:
            end = end_rec_data(fp)
        except _CORRUPT:
            _not_zip()
        if not end:
            _not_zip()
        if end[5] > _MAX_CENTRAL_DIRECTORY or end[4] > MAX_MEMBERS:
            _too_many(end[4])
        fp.seek(0)
    try:
        return zipfile.ZipFile(fp)
    except _CORRUPT:
        _not_zip()


def _too_many(count: int) -> NoReturn:
    _reject(
        "too_many_members",
        f"パッケージに含まれるファイルが多すぎます（{count} 個、上限 {MAX_MEMBERS} 個）。" + _RESEND,
    )


def _check_structure(zf: zipfile.ZipFile, fp: IO[bytes]) -> dict[str, zipfile.ZipInfo]:
    """The zip-level rules of SYNC_FORMAT §2, from the directory and local headers only."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        _too_many(len(infos))
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.orig_filename  # as stored: ZipInfo.filename truncates at NUL and, on Windows, rewrites "\"
        shown = _show(name)
        if (
            ".." in name
            or "\\" in name
            or ":" in name
            or name.startswith("/")
            or _DRIVE_RE.match(name)
            or any(not ch.isprintable() for ch in name)
        ):
            _reject(
                "unsafe_name",
                f"パッケージに危険な名前のファイル{shown}が含まれています"
                "（「..」、先頭の「/」、ドライブ名（C: など）、「:」や「\\」を含む名前は使えません）。このファイルは読み込めません。"
                "送り主に確認してください。",
            )
        if name.endswith("/") or _not_regular(info):
            _reject(
                "not_a_file",
                f"パッケージに通常のファイルではない項目{shown}（フォルダーやリンク）が含まれています。"
                "このファイルは読み込めません。送り主に確認してください。",
            )
        if name not in (MANIFEST, SIGNATURE) and not _RECORDS_PATH_RE.fullmatch(name):
            _reject(
                "unexpected_member",
                f"パッケージに想定外のファイル{shown}が含まれています。"
                "同期パッケージ以外のファイルか、新しい版のアプリで作られた可能性があります。"
                "アプリを最新版にしても読めない場合は送り主に確認してください。",
            )
        if name in members:
            _reject(
                "duplicate_member",
                f"パッケージに同じ名前のファイル{shown}が 2 つ以上あります。このファイルは読み込めません。" + _RESEND,
            )
        members[name] = info
        if info.flag_bits & _FLAG_ENCRYPTED:
            _reject(
                "encrypted",
                f"パッケージの{shown}が暗号化されています。同期パッケージは暗号化できません。"
                "アプリで書き出したままのファイルを送ってもらってください。",
            )
        if info.compress_type not in _ALLOWED_COMPRESSION:
            _reject(
                "unsupported_compression",
                f"パッケージの{shown}は対応していない圧縮方式（{info.compress_type}）です"
                "（無圧縮か deflate のみ）。" + _RESEND,
            )
        if info.file_size > MAX_MEMBER_SIZE:
            _reject(
                "member_too_large",
                f"パッケージの{shown}が大きすぎます（展開後 {info.file_size:,} バイト、上限 "
                f"{MAX_MEMBER_SIZE // 1024**2} MiB）。このファイルは読み込めません。送り主に確認してください。",
            )
        if info.file_size > 0 and (info.compress_size <= 0 or info.file_size / info.compress_size > MAX_RATIO):
            _reject(
                "ratio_too_high",
                f"パッケージの{shown}の圧縮率が異常に高く（上限 {MAX_RATIO} 倍）、"
                "圧縮爆弾の可能性があるため読み込みません。送り主に確認してください。",
            )
        total += info.file_size
    if total > MAX_TOTAL:
        _reject(
            "total_too_large",
            f"パッケージ全体が大きすぎます（展開後 {total:,} バイト、上限 {MAX_TOTAL // 1024**3} GiB）。"
            "このファイルは読み込めません。送り主に確認してください。",
        )
    _check_no_overlap(zf, fp, infos)
    return members


def _not_regular(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        return True  # symlink, directory, device, fifo, socket
    return bool(info.external_attr & _DOS_DIRECTORY)


def _check_no_overlap(zf: zipfile.ZipFile, fp: IO[bytes], infos: list[zipfile.ZipInfo]) -> None:
    """Each entry's local header + data must lie before the central directory, apart from all others."""
    try:
        fp.seek(0, os.SEEK_END)
        file_end = fp.tell()
        directory_start = min(zf.start_dir, file_end)
        spans: list[tuple[int, int, str]] = []
        for info in infos:
            start = info.header_offset
            if start < 0 or start + _LOCAL_HEADER.size > directory_start:
                _overlap(info.orig_filename)
            fp.seek(start)
            header = fp.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size:
                _not_zip("ファイルの途中で切れています")
            fields = _LOCAL_HEADER.unpack(header)
            if fields[0] != _LOCAL_HEADER_SIGNATURE:
                _not_zip(f"{_show(info.orig_filename)}の位置にファイルの見出しがありません")
            if fields[2] & _FLAG_ENCRYPTED:
                _reject(
                    "encrypted",
                    f"パッケージの{_show(info.orig_filename)}が暗号化されています。同期パッケージは暗号化できません。"
                    "アプリで書き出したままのファイルを送ってもらってください。",
                )
            end = start + _LOCAL_HEADER.size + fields[9] + fields[10] + info.compress_size
            if end > directory_start:
                _overlap(info.orig_filename)
            spans.append((start, end, info.orig_filename))
    except _CORRUPT:
        _not_zip()
    spans.sort()
    for (_, prev_end, _), (start, _, name) in itertools.pairwise(spans):
        if start < prev_end:
            _overlap(name)


def _overlap(name: str) -> NoReturn:
    _reject(
        "overlapping_entries",
        f"パッケージの{_show(name)}の中身が他のファイルと重なっています（圧縮爆弾などの不正な ZIP）。"
        "このファイルは読み込めません。送り主に確認してください。",
    )


def _larger_than_declared(info: zipfile.ZipInfo) -> NoReturn:
    _reject(
        "member_too_large",
        f"パッケージの{_show(info.orig_filename)}が、宣言された大きさ（{info.file_size:,} バイト）より"
        "大きくなっています。このファイルは読み込めません。送り主に確認してください。",
    )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, in memory; never more than its declared size."""
    limit = info.file_size
    chunks: list[bytes] = []
    size = 0
    try:
        with zf.open(info) as member:
            while True:
                chunk = member.read(min(_READ_CHUNK, limit - size + 1))
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    _larger_than_declared(info)
                chunks.append(chunk)
    except _CORRUPT:
        _not_zip(f"{_show(info.orig_filename)}を読み出せません")
    return b"".join(chunks)


def _bad_manifest(problem: str) -> NoReturn:
    _reject("bad_manifest", f"manifest.json が正しくありません: {problem}。" + _RESEND)


def _parse_manifest(data: bytes) -> Manifest:
    try:
        raw = parse_json(data.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError) as exc:
        _bad_manifest(_json_problem(exc))
    if type(raw) is not dict:
        _bad_manifest("JSON オブジェクトではありません")
    if raw.get("format") != FORMAT:
        _bad_manifest(f"format が \"{FORMAT}\" ではありません（同期パッケージではない可能性があります）")
    version = raw.get("format_version")
    if type(version) is not int:
        _bad_manifest("format_version が整数ではありません")
    if version != FORMAT_VERSION:
        _reject(
            "unknown_format_version",
            f"このパッケージは、このアプリが知らない形式（format_version {version}）で作られています"
            f"（このアプリが読めるのは {FORMAT_VERSION}）。アプリを最新版に更新してから読み込んでください。",
        )
    return _manifest_from(raw)


def _manifest_from(raw: dict[str, Any]) -> Manifest:
    """The typed manifest of a parsed ``manifest.json``; ``bad_manifest`` if a field is missing or ill-typed."""
    if not _is_uuid(raw.get("package_id")):
        _bad_manifest("package_id が小文字の正しい UUID（8-4-4-4-12 桁の 16 進数）ではありません")
    created_at = raw.get("created_at")
    if not isinstance(created_at, str):
        _bad_manifest("created_at がありません")
    try:
        datetime.fromisoformat(created_at)
    except ValueError:
        _bad_manifest(f"created_at{_show(created_at)}が ISO 8601 の日時ではありません")
    origin = raw.get("origin")
    if type(origin) is not dict:
        _bad_manifest("origin がありません")
    org = origin.get("org")
    if not isinstance(org, str) or org not in ORGS:
        _bad_manifest(f"origin.org{_show(org)}は既知の組織コードではありません")
    installation = origin.get("installation")
    if not _is_uuid(installation):
        _bad_manifest(f"origin.installation{_show(installation)}が小文字の正しい UUID（8-4-4-4-12 桁の 16 進数）ではありません")
    app_version = origin.get("app_version")
    if not isinstance(app_version, str):
        _bad_manifest("origin.app_version が文字列ではありません")
    sequence = raw.get("sequence")
    if type(sequence) is not int or not 0 <= sequence <= MAX_SAFE_INT:
        _bad_manifest(f"sequence{_show(sequence)}が 0 から 2^53−1 までの整数ではありません")
    scope = raw.get("scope")
    if scope not in SCOPES:
        _bad_manifest(f"scope{_show(scope)}は org でも national でもありません")
    public_key = raw.get("public_key")
    if not isinstance(public_key, str):
        _bad_manifest("public_key がありません")
    includes_contacts = raw.get("includes_contacts")
    if includes_contacts is not None and type(includes_contacts) is not bool:
        _bad_manifest("includes_contacts が true / false ではありません")
    files_raw = raw.get("files")
    if type(files_raw) is not list:
        _bad_manifest("files が一覧（配列）ではありません")
    files: list[FileEntry] = []
    seen: set[str] = set()
    for number, item in enumerate(files_raw, start=1):
        where = f"files の {number} 番目"
        if type(item) is not dict:
            _bad_manifest(f"{where}が JSON オブジェクトではありません")
        path = item.get("path")
        if not isinstance(path, str) or not _RECORDS_PATH_RE.fullmatch(path):
            _bad_manifest(f"{where}の path{_show(path)}は records/<名前>.jsonl の形ではありません")
        if path in seen:
            _bad_manifest(f"{where}の path{_show(path)}が重複しています")
        seen.add(path)
        sha256 = item.get("sha256")
        if not isinstance(sha256, str) or not _SHA256_RE.fullmatch(sha256):
            _bad_manifest(f"{where}の sha256 が 64 桁の 16 進数ではありません")
        count = item.get("records")
        if type(count) is not int or not 0 <= count <= MAX_SAFE_INT:
            _bad_manifest(f"{where}の records が 0 から 2^53−1 までの整数ではありません")
        files.append(FileEntry(path=path, sha256=sha256.lower(), records=count))
    # Fields a later version adds to the manifest are ignored (§2, forward compatibility).
    return Manifest(
        raw=raw,
        package_id=raw["package_id"],
        created_at=created_at,
        origin_org=org,
        origin_installation=installation,
        app_version=app_version,
        sequence=sequence,
        scope=scope,
        public_key=public_key,
        files=tuple(files),
        includes_contacts=includes_contacts,
        age_recipient=_age_recipient(raw.get("age_recipient")),
    )


def _age_recipient(value: object) -> str | None:
    """The manifest's ``age_recipient`` (§7, optional): one that is not a recipient is ignored, as
    an unknown field would be."""
    return value if isinstance(value, str) and age.is_recipient(value) else None


def _bad_signature(problem: str) -> NoReturn:
    _reject("bad_signature", f"{problem}。送り主に再送を依頼してください。")


def _verify_signature(manifest: Manifest, manifest_bytes: bytes, sig_bytes: bytes) -> None:
    try:
        public_key = load_public_key(manifest.public_key)
    except ValueError:
        _bad_signature("manifest.json の公開鍵（public_key）の形式が正しくないため、署名を確かめられません")
    try:
        sig_text = sig_bytes.decode("ascii").strip(" \t\r\n")
        signature = base64.b64decode(sig_text, validate=True)
    except (UnicodeDecodeError, binascii.Error, ValueError):
        _bad_signature("署名（manifest.sig）が base64 で書かれていません")
    if len(signature) != 64:
        _bad_signature("署名（manifest.sig）の長さが正しくありません")
    try:
        public_key.verify(signature, manifest_bytes)
    except InvalidSignature:
        _bad_signature("署名が一致しません（途中で書き換えられたか、壊れています）")


def _member_lines(zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: FileEntry) -> Iterator[bytes]:
    """The lines of a records file, read in chunks (never more than one chunk and one line in
    memory); once the last is given, its SHA-256 and line count are checked against the
    manifest (``PackageRejected``). A line longer than ``MAX_LINE`` is given cut just past the
    limit (so the reader refuses it by its length), and the rest of it is skipped."""
    path = entry.path
    limit = info.file_size
    digest = hashlib.sha256()
    size = count = 0
    tail = b""
    first, skipping = True, False
    try:
        with zf.open(info) as member:
            while True:
                chunk = member.read(_READ_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    _larger_than_declared(info)
                digest.update(chunk)
                if skipping:  # the rest of an overlong line
                    end = chunk.find(b"\n")
                    if end < 0:
                        continue
                    chunk, skipping = chunk[end + 1:], False
                lines = (tail + chunk if tail else chunk).split(b"\n")
                tail = lines.pop()
                if first and (lines or len(tail) >= 3):
                    first = False
                    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
                        lines[0] = lines[0][3:]  # a UTF-8 byte order mark, as some Windows tools write
                    elif not lines and tail.startswith(b"\xef\xbb\xbf"):
                        tail = tail[3:]
                count += len(lines)
                yield from lines
                if len(tail) > MAX_LINE:
                    count += 1
                    yield tail[: MAX_LINE + 1]
                    tail, skipping = b"", True
    except _CORRUPT:
        _not_zip(f"{_show(info.orig_filename)}を読み出せません")
    if tail:
        if first and tail.startswith(b"\xef\xbb\xbf"):
            tail = tail[3:]
        count += 1
        yield tail
    if digest.hexdigest() != entry.sha256:
        _reject(
            "hash_mismatch",
            f"{path} の中身が manifest.json の SHA-256 と一致しません（途中で壊れたか書き換えられています）。"
            + _RESEND,
        )
    if count != entry.records:
        _reject(
            "count_mismatch",
            f"{path} の記録数（{count} 行）が manifest.json の records（{entry.records}）と一致しません。" + _RESEND,
        )


def _id_key(record_id: str) -> bytes:
    """A canonical UUID's 16 bytes (ids are checked canonical first, so this is one-to-one)."""
    return bytes.fromhex(record_id.replace("-", ""))


class _RecordReader:
    """Scans the records files of one package: shapes, ids unique across files, clocks, owners."""

    def __init__(self, manifest: Manifest, now_ms: int, zf: zipfile.ZipFile,
                 members: Mapping[str, zipfile.ZipInfo]) -> None:
        self.manifest = manifest
        self.zf = zf
        self.members = members
        self.seen: set[bytes] = set()
        self.done: list[FileEntry] = []
        self.owners: set[str] = set()
        self.unknown_owners: set[str] = set()
        self.now_ms = now_ms
        # Stamps compare as strings: any 13-digit prefix above this is more than 24 hours ahead.
        self.limit = f"{now_ms + MAX_CLOCK_AHEAD_MS:013d}"
        self.ahead: tuple[str, int, dict[str, Any]] | None = None

    def scan(self, entry: FileEntry, info: zipfile.ZipInfo, known: bool) -> int:
        """Check every line of one records file; its number of records."""
        lines = _member_lines(self.zf, info, entry)
        try:
            return self._scan(entry, lines, self.owners if known else self.unknown_owners)
        except PackageRejected:
            # A file damaged on the way is reported as such (its SHA-256), not by the first line
            # the damage happens to break: read the rest of it, which checks the hash at its end.
            for _ in lines:
                pass
            raise

    def _scan(self, entry: FileEntry, lines: Iterator[bytes], owners: set[str]) -> int:
        path = entry.path
        seen = self.seen
        limit = self.limit
        number = 0
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE:
                _bad_record(path, number, f"1 行が長すぎます（{len(line):,} バイト以上、上限 {MAX_LINE:,} バイト＝1 MiB）",
                            _id_of(line))
            if not line.strip():
                _bad_record(path, number, "空の行です")
            try:
                obj = parse_json(line)
            except (ValueError, RecursionError) as exc:
                _bad_record(path, number, _json_problem(exc), _id_of(line))
            problem = envelope_problem(obj)
            if problem is not None:
                _bad_record(path, number, problem, obj.get("id") if type(obj) is dict else None)
            record_id = obj["id"]
            key = _id_key(record_id)
            if key in seen:
                first_path, first_number = self._first(record_id)
                where = "同じファイルの" if first_path == path else f"{first_path} の"
                _reject(
                    "duplicate_id",
                    f"{path} の {number} 行目: id {record_id} が{where} {first_number} 行目と重複しています"
                    "（1 つのパッケージに同じ id の記録は 1 件だけです）。" + _RESEND,
                )
            seen.add(key)
            owners.add(obj["owner"])
            if obj["hlc"][:13] > limit and (self.ahead is None or obj["hlc"] > self.ahead[2]["hlc"]):
                self.ahead = (path, number, obj)
        self.done.append(entry)
        return number

    def _first(self, record_id: str) -> tuple[str, int]:
        """Where ``record_id`` first appears (a duplicate was found: the files are read again)."""
        needle = record_id.encode("ascii")
        for entry in [*self.done, *(e for e in self.manifest.files if e not in self.done)]:
            for number, line in enumerate(_member_lines(self.zf, self.members[entry.path], entry), start=1):
                if needle in line:
                    with contextlib.suppress(ValueError, RecursionError):
                        obj = parse_json(line)
                        if type(obj) is dict and obj.get("id") == record_id:
                            return entry.path, number
        return "?", 0

    def check_clock(self) -> None:
        """Refuse stamps more than 24 hours ahead of this computer's clock, naming the sender."""
        if self.ahead is None:
            return
        path, number, obj = self.ahead
        ahead_ms = int(obj["hlc"][:13]) - self.now_ms
        m = self.manifest
        _reject(
            "clock_ahead",
            f"送り主の端末（{org_name(m.origin_org)}、端末ID {m.origin_installation}）の時計が、このパソコンより"
            f"{_duration(ahead_ms)}進んでいます（{path} の {number} 行目、id {obj['id']} の hlc {obj['hlc'][:19]}…）。"
            "24 時間より先の時刻の記録は受け取れません。送り主にパソコンの日付と時刻を正しく合わせてもらい、"
            "書き出し直したパッケージを送ってもらってください（このパソコンの時計が遅れている場合は、こちらを直してください）。",
        )


def _duration(ms: int) -> str:
    """About how long ``ms`` is, in Japanese (約 3 日 4 時間)."""
    hours = ms // 3_600_000
    days, hours = divmod(hours, 24)
    if days >= 365 * 2:
        return f"約 {days // 365:,} 年"
    if days:
        return f"約 {days:,} 日 {hours} 時間" if hours else f"約 {days:,} 日"
    return f"約 {hours} 時間"


def _id_of(line: bytes) -> str | None:
    """The record id of a line that could not be parsed, if one can be seen (for messages)."""
    match = re.search(rb'"id"\s*:\s*"([^"\\]{1,64})"', line[:4096])
    return match.group(1).decode("utf-8", "replace") if match else None


def _bad_record(path: str, number: int, problem: str, record_id: object = None) -> NoReturn:
    which = f"（id {_show(record_id)[1:-1]}）" if isinstance(record_id, str) else ""
    _reject("bad_record", f"{path} の {number} 行目{which}: {problem}。" + _RESEND)
