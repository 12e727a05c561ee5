"""The baseline of ``jcim-desktop import``: the same work written the plain way, as one script.

    python bench/_baseline_import.py --data-dir DIR --resources DIR [--no-audit] FILE.jcimsync…

It imports nothing of the application: standard library, ``orjson`` and ``cryptography`` only.
For each package, into the data folder's own database (made by the application's ``init``: same
tables and indexes), with the application's pragmas (WAL, ``synchronous=FULL``, foreign keys):

- unzip into memory, with the structural rules of SYNC_FORMAT §2 (members allowed, their number,
  declared sizes, compression ratio, directories), SHA-256 and line count of every member;
- the manifest's fields and its Ed25519 signature; the signer trusted for every owner (the
  database's ``trusted_keys`` and ``registered_keys``); one key per installation (``installation_keys``);
- every line parsed with ``orjson``; duplicate keys found by writing it back (the bytes must be
  the same); the envelope (lowercase canonical ids, known owner, ``hlc`` form and not more than
  24 hours ahead, version vector keys and counters, ``deleted``, ``data``, ``by``); one id once
  per package; ``data`` validated field by field at the application's level (types, vocabularies,
  ISO dates, local-government codes of the master, PlannedDate, contact, matching stages,
  cross-field rules); unknown fields kept in ``extra``;
- then, in one transaction per package: the stored copies looked up by id (owner never
  changes), the merge decision of §3 per record (insert, replace, keep, conflict with both
  versions kept in ``conflict_versions``), ``executemany`` upserts of whole rows with their
  derived columns (search text, company key, matching stage summary), an id never of two kinds,
  the audit log (one row per record written, old → new for a replaced one; ``--no-audit``
  leaves it out), the installation's key, the package received, the clock.
  ``--no-data-checks`` checks the envelopes only (a lower floor than the application's work).

No backup or undo journal, no integrity check at open: what makes an import undoable is the
application's extra work. Prints the outcomes as ``jcim-desktop import --format json`` does;
exit status 1 if a package was rejected.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import functools
import hashlib
import json
import re
import sqlite3
import sys
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ORGS = frozenset((
    "hokkaido", "tohoku", "kanto", "hokuriku", "chubu", "kinki", "chugoku", "shikoku", "kyushu", "okinawa",
    "innovative_tech", "overseas", "municipal_support", "engineer_training", "citizen",
    "planning", "pr", "mayors_council", "secretariat",
))
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HLC = re.compile(r"[0-9]{13}-[0-9]{5}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RECORDS_PATH = re.compile(r"records/([a-z][a-z0-9_]*)\.jsonl")
MAX_SAFE = 2**53 - 1
MAX_MEMBERS, MAX_MEMBER, MAX_RATIO, MAX_TOTAL, MAX_LINE = 64, 256 * 1024**2, 200, 1024**3, 1024**2
AHEAD_MS = 24 * 3600 * 1000
CHUNK = 5000

EVENT_TYPES = {"forum", "seminar", "workshop", "outreach_class", "matching_event", "pitch_event",
               "municipality_visit", "mayors_council_meeting", "exhibition", "lecture", "meeting", "other"}
EVENT_STATUSES = {"planned", "confirmed", "held", "postponed", "cancelled"}
NEED_STATUSES = {"open", "matching", "resolved", "withdrawn"}
FACILITIES = {"road", "bridge", "tunnel", "river", "sabo", "coast", "port", "sewerage", "water_supply", "park",
              "building", "airport", "other"}
SUPPORT_KINDS = {"needs_hearing", "visit", "hands_on_advice", "consultation", "other"}
PRECISIONS = {"day", "dekad", "month", "quarter", "year", "undecided"}
STAGES = {"considered", "established", "implemented", "dropped"}
NEXT_STAGE = {None: {"considered"}, "considered": {"established", "dropped"},
              "established": {"implemented", "dropped"}, "implemented": set(), "dropped": {"considered"}}
KPIS = {"supported_municipalities", "supported_countries", "forums_held", "matching_considered",
        "matching_established", "field_trials", "implemented", "matching_total", "workshops",
        "mayors_council_activities", "mayors_council_rate", "admin_member_rate"}
CONTACT_KEYS = ("name", "department", "email", "phone")
SECRETARIAT_ONLY = {"municipality_status", "kpi_targets", "closed_tallies", "trusted_keys"}
TABLES = {"trusted_keys": "registered_keys"}  # entity → table, where they differ

# (field, type, required); a field's column has its name except where COLUMN says otherwise.
FIELDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "events": (("title", "str", True), ("event_type", "event_type", True), ("planned", "planned", True),
               ("status", "event_status", True), ("held_from", "date", False), ("held_to", "date", False),
               ("venue", "str", False), ("description", "str", False), ("series_no", "int1", False),
               ("lg_codes", "lg_codes", True), ("participants", "int0", False),
               ("counts_as_forum", "bool", True), ("co_hosts", "orgs", False)),
    "pitch_presentations": (("event_id", "uuid", True), ("seed_id", "uuid", True), ("need_id", "uuid", False),
                            ("order", "int1", False), ("note", "str", False)),
    "needs": (("lg_code", "lg_code", True), ("title", "str", True), ("facility_types", "facilities", True),
              ("requirements", "str", True), ("received_on", "date", True), ("survey", "str", False),
              ("status", "need_status", True), ("contact", "contact", False)),
    "seeds": (("company", "str", True), ("tech_name", "str", True), ("summary", "str", True),
              ("facility_types", "facilities", True), ("netis_no", "str", False), ("registered_on", "date", False),
              ("contact", "contact", False)),
    "matchings": (("need_id", "uuid", True), ("seed_id", "uuid", True), ("pitch_event_id", "uuid", False),
                  ("stages", "stages", True)),
    "trials": (("title", "str", True), ("series_no", "int1", False), ("lg_code", "lg_code", True),
               ("matching_id", "uuid", False), ("need_id", "uuid", False), ("seed_id", "uuid", False),
               ("pitch_event_id", "uuid", False), ("planned", "planned", True), ("status", "event_status", True),
               ("held_from", "date", False), ("held_to", "date", False), ("result", "str", False)),
    "support_activities": (("kind", "support_kind", True), ("on", "date", True), ("lg_code", "lg_code", False),
                           ("country", "country", False), ("note", "str", False)),
    "municipality_status": (("lg_code", "lg_code", True), ("admin_member", "bool", True),
                            ("mayors_council", "bool", True), ("as_of", "date", True)),
    "kpi_targets": (("fiscal_year", "int0", True), ("kpi", "kpi", True), ("target", "number", True)),
    "closed_tallies": (("fiscal_year", "int0", True), ("closed_at", "datetime", True), ("closed_by", "str", True),
                       ("source", "closed_source", True), ("kpis", "kpis", True), ("note", "str", False)),
    "trusted_keys": (("public_key", "public_key", True), ("orgs", "trust_orgs", True), ("label", "str", True),
                     ("revoked_on", "date", False)),
}
COLUMN = {"order": "order_no", "on": "on_date"}
SEARCH_FIELDS = {
    "events": ("title", "venue", "description"), "pitch_presentations": ("note",),
    "needs": ("title", "requirements", "survey"), "seeds": ("company", "tech_name", "summary", "netis_no"),
    "trials": ("title", "result"), "support_activities": ("note", "country"), "kpi_targets": ("kpi",),
    "closed_tallies": ("note", "closed_by"), "trusted_keys": ("label",),
}
COMPANY_MARKERS = re.compile(r"株式会社|有限会社|合同会社|一般社団法人|一般財団法人|\(株\)|\(有\)")
HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
LIST_TYPES = {"lg_codes", "facilities", "stages", "orgs", "trust_orgs"}
NEUTRAL = {"JSON": "[]", "BOOLEAN": 0, "DATE": "1970-01-01", "INTEGER": 0, "FLOAT": 0}
ENUMS = {"event_type": EVENT_TYPES, "event_status": EVENT_STATUSES, "need_status": NEED_STATUSES,
         "support_kind": SUPPORT_KINDS, "kpi": KPIS, "closed_source": {"app", "published"}}


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@functools.lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Search key: NFKC, katakana → hiragana, casefold, no whitespace (each distinct text once)."""
    return "".join(unicodedata.normalize("NFKC", text).translate(HIRAGANA).casefold().split())


class Validator:
    """Field-by-field checks of a record's ``data`` (SYNC_FORMAT §4, strict as for a package)."""

    def __init__(self, lg_codes: set[str]) -> None:
        self.lg_codes = lg_codes
        checks = self.checkers()
        # Per entity: (field, check, required, missing value), and the set of fields it knows.
        self.specs = {entity: [(name, checks[kind], required, [] if kind in LIST_TYPES else
                                False if name == "counts_as_forum" else None) for name, kind, required in specs]
                      for entity, specs in FIELDS.items()}
        self.known = {entity: frozenset(name for name, _, _ in specs) for entity, specs in FIELDS.items()}

    def date(self, value: Any) -> str:
        if type(value) is not str or not ISO_DATE.fullmatch(value):
            raise ValueError(f"not an ISO date: {value!r}")
        dt.date.fromisoformat(value)
        return value

    def text(self, value: Any) -> str:
        if type(value) is not str or not value.strip():
            raise ValueError("not a text")
        return value.strip()

    def integer(self, value: Any, low: int) -> int:
        if type(value) is not int or not low <= value <= MAX_SAFE:
            raise ValueError(f"not an integer in range: {value!r}")
        return value

    def number(self, value: Any) -> float:
        if type(value) not in (int, float) or not 0 <= value <= MAX_SAFE:
            raise ValueError(f"not a number in range: {value!r}")
        return value

    def boolean(self, value: Any) -> bool:
        if value is True or value is False:
            return value
        if type(value) is int and value in (0, 1):
            return bool(value)
        raise ValueError("not true / false")

    def uuid(self, value: Any) -> str:
        if type(value) is not str or not UUID.fullmatch(value):
            raise ValueError(f"not a canonical UUID: {value!r}")
        return value

    def lg_code(self, value: Any) -> str:
        if value not in self.lg_codes:
            raise ValueError(f"not a local government of the master: {value!r}")
        return value

    def codes(self, value: Any, allowed: set[str] | frozenset[str], what: str) -> list[str]:
        if type(value) is not list or any(code not in allowed for code in value):
            raise ValueError(f"not a list of {what}")
        return list(dict.fromkeys(value))

    def country(self, value: Any) -> str:
        if type(value) is not str or len(value) != 2 or not value.isascii() or not value.isupper():
            raise ValueError(f"not a country code: {value!r}")
        return value

    def datetime(self, value: Any) -> str:
        if type(value) is not str or len(value) < 16:
            raise ValueError("not a date-time")
        dt.datetime.fromisoformat(value)
        return value

    def kpis(self, value: Any) -> dict[str, Any]:
        if type(value) is not dict or not value:
            raise ValueError("not KPI figures")
        return value

    def public_key(self, value: Any) -> str:
        if type(value) is not str or len(base64.b64decode(value, validate=True)) != 32:
            raise ValueError("not an Ed25519 public key")
        return value

    def trust_orgs(self, value: Any) -> list[str]:
        return value if value == ["all"] else self.codes(value, ORGS, "org codes")

    def enum(self, values: set[str]) -> Any:
        def check(value: Any) -> str:
            if value not in values:
                raise ValueError(f"not one of {sorted(values)}: {value!r}")
            return value
        return check

    def checkers(self) -> dict[str, Any]:
        """Field type → its check (value → cleaned value, ``ValueError`` if invalid)."""
        return {
            "str": self.text, "date": self.date, "int0": lambda v: self.integer(v, 0),
            "int1": lambda v: self.integer(v, 1), "number": self.number, "bool": self.boolean, "uuid": self.uuid,
            "lg_code": self.lg_code, "lg_codes": lambda v: self.codes(v, self.lg_codes, "local-government codes"),
            "facilities": lambda v: self.codes(v, FACILITIES, "facility types"),
            "orgs": lambda v: self.codes(v, ORGS, "org codes"), "trust_orgs": self.trust_orgs,
            "country": self.country, "planned": self.planned, "contact": self.contact, "stages": self.stages,
            "datetime": self.datetime, "kpis": self.kpis, "public_key": self.public_key,
            **{kind: self.enum(values) for kind, values in ENUMS.items()},
        }

    def planned(self, value: Any) -> dict[str, Any]:
        if type(value) is not dict or not set(value) <= {"text", "start", "end", "precision", "tentative"}:
            raise ValueError("not a PlannedDate")
        text = value.get("text")
        if type(text) is not str or not text.strip():
            raise ValueError("PlannedDate without text")
        start, end = value.get("start"), value.get("end")
        if (start is None) != (end is None):
            raise ValueError("PlannedDate with one bound")
        if start is not None and self.date(end) < self.date(start):
            raise ValueError("PlannedDate ending before it starts")
        if value.get("precision") not in PRECISIONS:
            raise ValueError("PlannedDate precision")
        tentative = value.get("tentative", False)
        if tentative is not None and type(tentative) is not bool:
            raise ValueError("PlannedDate tentative")
        return {"text": text, "start": start, "end": end, "precision": value["precision"],
                "tentative": bool(tentative)}

    def contact(self, value: Any) -> dict[str, Any] | None:
        if type(value) is not dict or not set(value) <= set(CONTACT_KEYS):
            raise ValueError("not a contact")
        contact = {}
        for key in CONTACT_KEYS:
            item = value.get(key)
            if item is not None and type(item) is not str:
                raise ValueError("contact field not a text")
            contact[key] = (item.strip() or None) if item is not None else None
        if contact["email"] is not None and "@" not in contact["email"]:
            raise ValueError("e-mail address without @")
        return contact if any(v is not None for v in contact.values()) else None

    def stages(self, value: Any) -> list[dict[str, Any]]:
        if type(value) is not list:
            raise ValueError("stages not a list")
        previous: dict[str, Any] | None = None
        for stage in value:
            if type(stage) is not dict or not set(stage) <= {"stage", "on", "note"}:
                raise ValueError("not a stage")
            code = stage.get("stage")
            if code not in STAGES or code not in NEXT_STAGE[previous["stage"] if previous else None]:
                raise ValueError(f"stage {code!r} out of order")
            self.date(stage.get("on"))
            if previous is not None and stage["on"] < previous["on"]:
                raise ValueError("stage dated before the previous one")
            note = stage.get("note")
            if note is not None and type(note) is not str:
                raise ValueError("stage note not a text")
            previous = stage
        return value

    def clean(self, entity: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        known = self.known[entity]
        extra = None if known.issuperset(data) else {k: v for k, v in data.items() if k not in known}
        out: dict[str, Any] = {}
        for name, check, required, missing in self.specs[entity]:
            value = data.get(name)
            if value is None:
                if required and missing is None:
                    raise ValueError(f"{name} is missing")
                out[name] = [] if missing == [] else missing
                continue
            try:
                out[name] = check(value)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{name}: {exc}") from None
        if entity in ("events", "trials"):
            if out["held_from"] is not None and out["held_to"] is not None and out["held_to"] < out["held_from"]:
                raise ValueError("held_to before held_from")
            if out["held_from"] is None and (out["held_to"] is not None or out["status"] == "held"):
                raise ValueError("held without held_from")
        elif entity == "support_activities" and out["lg_code"] is None and out["country"] is None:
            raise ValueError("neither lg_code nor country")
        return out, extra


class Schema:
    """The database's tables, read from the file: columns, and how each is filled from a record."""

    def __init__(self, conn: sqlite3.Connection, lg_names: dict[str, str]) -> None:
        self.lg_names = lg_names
        self.columns: dict[str, list[tuple[str, str, bool]]] = {}
        self.upsert: dict[str, str] = {}
        for entity in FIELDS:
            table = TABLES.get(entity, entity)
            cols = [(r[1], r[2].upper(), bool(r[3])) for r in conn.execute(f'PRAGMA table_info("{table}")')]
            self.columns[entity] = cols
            names = [c[0] for c in cols]
            updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
            self.upsert[entity] = (f'INSERT INTO "{table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
                                   f'VALUES ({", ".join("?" * len(names))}) ON CONFLICT ("id") DO UPDATE SET {updates}')
        self.field_of = {entity: {COLUMN.get(name, name): name for name, _, _ in specs} for entity, specs in FIELDS.items()}
        self.builders = {entity: self.getters(entity) for entity in FIELDS}

    def search_text(self, entity: str, data: dict[str, Any]) -> str:
        free = [str(data.get(f) or "") for f in SEARCH_FIELDS.get(entity, ())]
        planned = data.get("planned")
        if isinstance(planned, dict):
            free.append(str(planned.get("text") or ""))
        parts = [normalize("|".join(p for p in free if p))]
        codes = list(data.get("lg_codes") or [])
        if data.get("lg_code"):
            codes.append(data["lg_code"])
        parts.extend(self.lg_names.get(code, "") for code in codes)
        parts.extend(str(data[k]) for k in ("event_type", "kind") if data.get(k))
        parts.extend(str(v) for v in (data.get("co_hosts") or ()))
        parts.extend(str(v) for v in (data.get("facility_types") or ()))
        return "|".join(p for p in parts if p)

    def getters(self, entity: str) -> list[Any]:
        """Per column of ``entity``'s table, a function (envelope, data, derived, extra, vv) → its value."""
        field_of = self.field_of[entity]
        out: list[Any] = []
        for name, kind, _ in self.columns[entity]:
            field = field_of.get(name, name)
            if name in ("id", "owner", "hlc"):
                out.append(lambda e, d, x, ex, vv, name=name: e[name])
            elif name == "vv":
                out.append(lambda e, d, x, ex, vv: orjson.dumps(vv).decode())
            elif name == "deleted":
                out.append(lambda e, d, x, ex, vv: int(e["deleted"]))
            elif name == "extra":
                out.append(lambda e, d, x, ex, vv: orjson.dumps(ex).decode() if ex else None)
            elif name == "changed_by":
                out.append(lambda e, d, x, ex, vv: e.get("by") if type(e.get("by")) is str else None)
            elif name in ("search_text", "company_key", "current_stage", "first_stage_on", "last_stage_on"):
                out.append(lambda e, d, x, ex, vv, name=name: x.get(name))
            elif name == "planned_tentative":
                out.append(lambda e, d, x, ex, vv: int(bool((d.get("planned") or {}).get("tentative"))))
            elif name.startswith("planned_"):
                out.append(lambda e, d, x, ex, vv, part=name[8:]: (d.get("planned") or {}).get(part))
            elif kind == "JSON":
                out.append(lambda e, d, x, ex, vv, f=field: None if d.get(f) is None else orjson.dumps(d[f]).decode())
            elif kind == "BOOLEAN":
                out.append(lambda e, d, x, ex, vv, f=field: None if d.get(f) is None else int(d[f]))
            else:
                out.append(lambda e, d, x, ex, vv, f=field: d.get(f))
        return out

    def row(self, entity: str, env: dict[str, Any], data: dict[str, Any], extra: dict[str, Any] | None,
            vv: dict[str, int]) -> tuple[Any, ...]:
        derived: dict[str, Any] = {"search_text": self.search_text(entity, data)}
        if entity == "seeds":
            derived["company_key"] = normalize(COMPANY_MARKERS.sub("", unicodedata.normalize("NFKC", data.get("company") or "")))
        elif entity == "matchings":
            stages = data.get("stages") or []
            dates = [s["on"] for s in stages if s.get("on")]
            derived.update(current_stage=stages[-1]["stage"] if stages else None,
                           first_stage_on=min(dates) if dates else None, last_stage_on=max(dates) if dates else None)
        values = tuple([get(env, data, derived, extra, vv) for get in self.builders[entity]])
        if not data:  # a tombstone received without data: neutral values where a column needs one
            values = tuple(v if v is not None or not notnull else NEUTRAL.get(kind, "")
                           for v, (_, kind, notnull) in zip(values, self.columns[entity], strict=True))
        return values

    def data_of(self, entity: str, row: sqlite3.Row) -> dict[str, Any]:
        """A stored row's ``data`` (for a conflict version): the columns of its fields."""
        data: dict[str, Any] = {}
        kinds = {name: kind for name, kind, _ in self.columns[entity]}
        for column, field in self.field_of[entity].items():
            if field == "planned":
                data[field] = {part: row[f"planned_{part}"] for part in ("text", "start", "end", "precision")}
                data[field]["tentative"] = bool(row["planned_tentative"])
            elif column in kinds:
                value = row[column]
                data[field] = orjson.loads(value) if kinds[column] == "JSON" and value is not None else value
        if row["extra"]:
            data.update(orjson.loads(row["extra"]))
        return data


def vv_order(a: dict[str, int], b: dict[str, int]) -> str:
    """'equal', 'dominates' (a > b), 'dominated' or 'concurrent'."""
    greater = any(v > b.get(k, 0) for k, v in a.items())
    less = any(v > a.get(k, 0) for k, v in b.items())
    return "concurrent" if greater and less else "dominates" if greater else "dominated" if less else "equal"


class Importer:
    def __init__(self, db: Path, resources: Path, audit: bool, data_checks: bool = True) -> None:
        self.data_checks = data_checks
        self.conn = sqlite3.connect(db, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        for pragma in ("busy_timeout=5000", "journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            self.conn.execute(f"PRAGMA {pragma}")
        lg_names: dict[str, str] = {}
        prefectures: dict[str, str] = {}
        with open(resources / "prefectures.csv", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                prefectures[r["pref_code"]] = r["name"]
                lg_names[r["lg_code"]] = normalize(f"{r['name']}|{r['name_kana']}")
        with open(resources / "municipalities.csv", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                lg_names[r["lg_code"]] = normalize(f"{prefectures.get(r['pref_code'], '')}{r['name']}|{r['name_kana']}")
        self.validator = Validator(set(lg_names))
        self.schema = Schema(self.conn, lg_names)
        self.audit = audit
        self.installation = self.conn.execute("SELECT id FROM installation").fetchone()[0]

    # -- reading and checking --------------------------------------------------------------

    def read(self, path: Path) -> dict[str, Any]:
        now_ms = time.time_ns() // 1_000_000
        limit = f"{now_ms + AHEAD_MS:013d}"
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise Rejected("not_a_package", f"not a zip file: {exc}") from None
        with zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            if len(infos) > MAX_MEMBERS or len(set(names)) != len(names):
                raise Rejected("bad_structure", "too many or repeated members")
            total = 0
            for info in infos:
                if info.is_dir() or info.flag_bits & 1 or not (
                        info.filename in ("manifest.json", "manifest.sig") or RECORDS_PATH.fullmatch(info.filename)):
                    raise Rejected("bad_structure", f"member not allowed: {info.filename}")
                if info.file_size > MAX_MEMBER or (info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
                    raise Rejected("bad_structure", f"member too large: {info.filename}")
                total += info.file_size
            if total > MAX_TOTAL or "manifest.json" not in names or "manifest.sig" not in names:
                raise Rejected("bad_structure", "too large, or no manifest or signature")
            manifest_bytes = zf.read("manifest.json")
            manifest = self.manifest(manifest_bytes, zf.read("manifest.sig"))
            allowed = self.allowed_owners(manifest["public_key"])
            bound = self.conn.execute("SELECT public_key FROM installation_keys WHERE installation = ?",
                                      (manifest["origin"]["installation"],)).fetchone()
            if bound is not None and bound[0] is not None and bound[0] != manifest["public_key"]:
                raise Rejected("installation_key_changed", "installation signed with another key")
            drop_contacts = manifest.get("includes_contacts") is not True
            seen: set[str] = set()
            records: dict[str, list[tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]]] = {}
            for entry in manifest["files"]:
                entity = RECORDS_PATH.fullmatch(entry["path"]).group(1)  # type: ignore[union-attr]
                if entry["path"] not in names:
                    raise Rejected("missing_file", entry["path"])
                data = zf.read(entry["path"])
                if hashlib.sha256(data).hexdigest() != entry["sha256"].lower():
                    raise Rejected("hash_mismatch", entry["path"])
                lines = data.split(b"\n")
                if lines[-1] == b"":
                    lines.pop()
                if len(lines) != entry["records"]:
                    raise Rejected("count_mismatch", entry["path"])
                if entity not in FIELDS:
                    continue  # a later version's entity: ignored
                out = records.setdefault(entity, [])
                for number, line in enumerate(lines, start=1):
                    out.append(self.record(entity, line, number, seen, allowed, limit, drop_contacts))
        return {"manifest": manifest, "records": records, "path": path}

    def manifest(self, raw: bytes, sig: bytes) -> dict[str, Any]:
        try:
            m = json.loads(raw, object_pairs_hook=_unique)
        except ValueError as exc:
            raise Rejected("bad_manifest", str(exc)) from None
        origin = m.get("origin") if isinstance(m, dict) else None
        if (not isinstance(m, dict) or m.get("format") != "jcimsync" or not isinstance(origin, dict)
                or origin.get("org") not in ORGS or not UUID.fullmatch(str(origin.get("installation")))
                or not UUID.fullmatch(str(m.get("package_id"))) or m.get("scope") not in ("org", "national")
                or type(m.get("sequence")) is not int or not isinstance(m.get("files"), list)
                or not isinstance(m.get("public_key"), str) or not isinstance(m.get("created_at"), str)):
            raise Rejected("bad_manifest", "manifest fields")
        if m.get("format_version") != 1:
            raise Rejected("unknown_format_version", str(m.get("format_version")))
        dt.datetime.fromisoformat(m["created_at"])
        for f in m["files"]:
            if (type(f) is not dict or not isinstance(f.get("path"), str) or not RECORDS_PATH.fullmatch(f["path"])
                    or type(f.get("records")) is not int or not isinstance(f.get("sha256"), str)):
                raise Rejected("bad_manifest", "files")
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(m["public_key"], validate=True))
            key.verify(base64.b64decode(sig.strip(), validate=True), raw)
        except (ValueError, InvalidSignature):
            raise Rejected("bad_signature", "signature") from None
        return m

    def allowed_owners(self, public_key: str) -> frozenset[str]:
        orgs: set[str] = set()
        row = self.conn.execute("SELECT orgs FROM trusted_keys WHERE public_key = ?", (public_key,)).fetchone()
        if row is not None:
            orgs.update(json.loads(row[0]))
        for (listed,) in self.conn.execute("SELECT orgs FROM registered_keys WHERE public_key = ? AND deleted = 0 "
                                           "AND revoked_on IS NULL", (public_key,)):
            orgs.update(json.loads(listed))
        if not orgs:
            raise Rejected("untrusted_key", "the signing key is not trusted")
        return ORGS if "all" in orgs else frozenset(orgs)

    def record(self, entity: str, line: bytes, number: int, seen: set[str], allowed: frozenset[str], limit: str,
               drop_contacts: bool) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
        def bad(problem: str) -> Rejected:
            return Rejected("bad_record", f"records/{entity}.jsonl line {number}: {problem}")

        if len(line) > MAX_LINE:
            raise bad("line too long")
        try:
            env = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise bad(f"not JSON ({exc})") from None
        if orjson.dumps(env) != line:
            # Written another way than compact orjson: read again strictly (duplicate keys refused).
            try:
                env = json.loads(line, object_pairs_hook=_unique)
            except ValueError as exc:
                raise bad(str(exc)) from None
        if b"\\u0000" in line:
            raise bad("NUL character")
        if type(env) is not dict or not {"id", "owner", "hlc", "vv", "deleted", "data"} <= env.keys():
            raise bad("not an envelope")
        rid, owner, hlc, vv, data = env["id"], env["owner"], env["hlc"], env["vv"], env["data"]
        if type(rid) is not str or not UUID.fullmatch(rid):
            raise bad("id")
        if owner not in ORGS:
            raise bad("owner")
        if type(hlc) is not str or not HLC.fullmatch(hlc):
            raise bad("hlc")
        if hlc[:13] > limit:
            raise Rejected("clock_ahead", f"hlc {hlc} more than 24 hours ahead")
        if type(vv) is not dict or not vv or any(
                not UUID.fullmatch(k) or type(v) is not int or not 1 <= v <= MAX_SAFE for k, v in vv.items()):
            raise bad("vv")
        if type(env["deleted"]) is not bool or type(data) is not dict or (not data and not env["deleted"]):
            raise bad("deleted / data")
        if env.get("by") is not None and type(env["by"]) is not str:
            raise bad("by")
        if rid in seen:
            raise Rejected("duplicate_id", rid)
        seen.add(rid)
        if owner not in allowed:
            raise Rejected("untrusted_owner", f"the key may not write records of {owner}")
        if entity in SECRETARIAT_ONLY and owner != "secretariat":
            raise Rejected("invalid_record", f"{entity} must be the secretariat's")
        extra = None
        if not self.data_checks:
            known = self.validator.known[entity]
            if not known.issuperset(data):
                extra = {k: v for k, v in data.items() if k not in known}
                data = {k: v for k, v in data.items() if k in known}
            if drop_contacts:
                data.pop("contact", None)
        elif data or not env["deleted"]:
            try:
                data, extra = self.validator.clean(entity, data)
            except ValueError as exc:
                raise Rejected("invalid_record", f"records/{entity}.jsonl line {number}: {exc}") from None
            if drop_contacts:
                data.pop("contact", None)
        return env, data, extra

    # -- merging ---------------------------------------------------------------------------

    def merge(self, package: dict[str, Any]) -> dict[str, dict[str, int]]:
        m = package["manifest"]
        origin = m["origin"]
        keep_contacts = m.get("includes_contacts") is not True
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        conn = self.conn
        counts: dict[str, dict[str, int]] = {}
        max_hlc = ""
        conn.execute("BEGIN IMMEDIATE")
        try:
            last = conn.execute("SELECT max(sequence) FROM received_packages WHERE installation = ?",
                                (origin["installation"],)).fetchone()[0]
            marks = {e: conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{TABLES.get(e, e)}"').fetchone()[0]
                     for e in package["records"]}
            any_conflicts = conn.execute("SELECT count(*) FROM conflict_versions").fetchone()[0] > 0
            for entity, items in package["records"].items():
                c, top = self.merge_entity(entity, items, now, m, keep_contacts, any_conflicts)
                counts[entity] = c
                max_hlc = max(max_hlc, top)
            for entity, mark in marks.items():  # an id names one record of one kind
                table = TABLES.get(entity, entity)
                for other in FIELDS:
                    if other != entity and conn.execute(
                            f'SELECT 1 FROM "{table}" e JOIN "{TABLES.get(other, other)}" t ON t.id = e.id '
                            "WHERE e.rowid > ? LIMIT 1", (mark,)).fetchone():
                        raise Rejected("id_kind_change", f"an id of {entity} is stored as {other}")
            if conn.execute("SELECT 1 FROM installation_keys WHERE installation = ?",
                            (origin["installation"],)).fetchone() is None:
                key_id = hashlib.sha256(base64.b64decode(m["public_key"])).hexdigest()[:16]
                conn.execute("INSERT INTO installation_keys VALUES (?, ?, ?, ?, ?)",
                             (origin["installation"], m["public_key"], "-".join(key_id[i:i + 4] for i in range(0, 16, 4)),
                              origin["org"], now))
            if max_hlc:
                conn.execute("UPDATE installation SET hlc_last = max(coalesce(hlc_last, ''), ?) WHERE id = ?",
                             (max_hlc, self.installation))
            key_id = hashlib.sha256(base64.b64decode(m["public_key"])).hexdigest()[:16]
            conn.execute(
                "INSERT INTO received_packages (package_id, installation, org, sequence, scope, key_id, created_at, "
                "received_at, file_name, records, newer, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (m["package_id"], origin["installation"], origin["org"], m["sequence"], m["scope"],
                 "-".join(key_id[i:i + 4] for i in range(0, 16, 4)), m["created_at"], now, package["path"].name,
                 sum(f["records"] for f in m["files"]), int(last is None or m["sequence"] > last),
                 orjson.dumps(counts).decode()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return counts

    def merge_entity(self, entity: str, items: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]],
                     now: str, m: dict[str, Any], keep_contacts: bool, any_conflicts: bool,
                     ) -> tuple[dict[str, int], str]:
        conn, schema = self.conn, self.schema
        table = TABLES.get(entity, entity)
        keep = "contact" if keep_contacts and entity in ("needs", "seeds") else None
        ids = [env["id"] for env, _, _ in items]
        stored: dict[str, tuple[str, dict[str, int], str, bool]] = {}
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            for row in conn.execute(f'SELECT id, owner, vv, hlc, deleted FROM "{table}" WHERE id IN '
                                    f'({",".join("?" * len(chunk))})', chunk):
                stored[row[0]] = (row[1], orjson.loads(row[2]), row[3], bool(row[4]))
        frontiers: dict[str, list[tuple[str, dict[str, int], bool, str, dict[str, Any]]]] = {}
        if any_conflicts and stored:
            known = list(stored)
            for i in range(0, len(known), CHUNK):
                chunk = known[i:i + CHUNK]
                for row in conn.execute("SELECT record_id, hlc, vv, deleted, owner, data FROM conflict_versions "
                                        f"WHERE entity = ? AND record_id IN ({','.join('?' * len(chunk))})",
                                        [entity, *chunk]):
                    frontiers.setdefault(row[0], []).append(
                        (row[1], orjson.loads(row[2]), bool(row[3]), row[4], orjson.loads(row[5])))
        counts = {"inserted": 0, "updated": 0, "unchanged": 0, "conflicts": 0}
        upserts: list[tuple[Any, ...]] = []
        vv_only: list[tuple[str, str, str]] = []
        replaced: dict[str, tuple[dict[str, Any], str, tuple[Any, ...] | None]] = {}  # id → (env, action, row)
        conflicts: dict[str, tuple[dict[str, Any], dict[str, Any], bool]] = {}  # id → (env, data, incoming wins)
        audit: list[tuple[Any, ...]] = []
        max_hlc = ""
        sender = (m["package_id"], m["origin"]["org"], m["origin"]["installation"])
        for env, data, extra in items:
            rid, hlc = env["id"], env["hlc"]
            max_hlc = max(max_hlc, hlc)
            old = stored.get(rid)
            if old is None:
                counts["inserted"] += 1
                upserts.append(schema.row(entity, env, data, extra, env["vv"]))
                if self.audit:
                    audit.append((now, env.get("by") or "", hlc[20:], entity, rid,
                                  "delete" if env["deleted"] else "create", hlc, "{}", *sender))
                continue
            owner, old_vv, old_hlc, old_deleted = old
            if owner != env["owner"]:
                raise Rejected("owner_change", f"{entity} {rid} belongs to {owner}")
            order = vv_order(env["vv"], old_vv)
            if order in ("equal", "dominated"):
                counts["unchanged"] += 1
                continue
            joined = {k: max(v, old_vv.get(k, 0)) for k, v in env["vv"].items()}
            for k, v in old_vv.items():
                joined.setdefault(k, v)
            if order == "dominates":
                counts["updated"] += 1
                replaced[rid] = (env, "update", schema.row(entity, env, data, extra, joined))
                frontiers.pop(rid, None)
                continue
            counts["conflicts"] += 1
            wins = hlc > old_hlc
            conflicts[rid] = (env, data, wins)
            if wins:
                replaced[rid] = (env, "conflict", schema.row(entity, env, data, extra, joined))
            else:
                vv_only.append((orjson.dumps(joined).decode(), rid, old_hlc))
                if self.audit:
                    audit.append((now, env.get("by") or "", hlc[20:], entity, rid, "conflict", hlc, "{}", *sender))
        # The stored copies replaced or in conflict, read before they are written over.
        before: dict[str, sqlite3.Row] = {}
        wanted = list(replaced.keys() | conflicts.keys())
        for i in range(0, len(wanted), CHUNK):
            chunk = wanted[i:i + CHUNK]
            for row in conn.execute(f'SELECT * FROM "{table}" WHERE id IN ({",".join("?" * len(chunk))})', chunk):
                before[row["id"]] = row
        names = [c[0] for c in schema.columns[entity]]
        data_columns = [i for i, n in enumerate(names) if n not in ("id", "owner", "hlc", "vv", "changed_by",
                                                                      "search_text", "company_key")]
        contact_at = names.index("contact") if keep else -1
        for rid, (env, action, new_row) in replaced.items():
            old_row = before[rid]
            if new_row is None:
                continue
            if keep:
                new_row = (*new_row[:contact_at], old_row["contact"], *new_row[contact_at + 1:])
            upserts.append(new_row)
            if self.audit:
                changes = {names[i]: [old_row[i], new_row[i]] for i in data_columns if old_row[i] != new_row[i]}
                audit.append((now, env.get("by") or "", env["hlc"][20:], entity, rid, action, env["hlc"],
                              orjson.dumps(changes).decode(), *sender))
        conflict_rows: list[tuple[Any, ...]] = []
        for rid, (env, data, _wins) in conflicts.items():
            old_row = before[rid]
            versions = frontiers.get(rid) or [(old_row["hlc"], orjson.loads(old_row["vv"]), bool(old_row["deleted"]),
                                               old_row["owner"], schema.data_of(entity, old_row))]
            versions = [v for v in versions if vv_order(v[1], env["vv"]) not in ("dominated", "equal")]
            versions.append((env["hlc"], env["vv"], env["deleted"], env["owner"], data))
            conflict_rows.extend((entity, rid, owner, hlc, orjson.dumps(vv).decode(), int(deleted),
                                  orjson.dumps(d).decode(), now) for hlc, vv, deleted, owner, d in versions)
        if upserts:
            conn.executemany(schema.upsert[entity], upserts)
        if vv_only:
            conn.executemany(f'UPDATE "{table}" SET vv = ? WHERE id = ? AND hlc = ?', vv_only)
        if conflicts:
            touched = list(conflicts)
            for i in range(0, len(touched), CHUNK):
                chunk = touched[i:i + CHUNK]
                conn.execute(f"DELETE FROM conflict_versions WHERE entity = ? AND record_id IN "
                             f"({','.join('?' * len(chunk))})", [entity, *chunk])
            conn.executemany("INSERT INTO conflict_versions (entity, record_id, owner, hlc, vv, deleted, data, "
                             "detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", conflict_rows)
        if audit:
            conn.executemany("INSERT INTO audit_log (at, user_name, installation_id, entity, record_id, action, hlc, "
                             "changes, package_id, sender_org, sender_installation) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", audit)
        return counts, max_hlc


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate key")
    return obj


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--resources", type=Path, required=True, help="the folder of municipalities.csv")
    parser.add_argument("--no-audit", action="store_true", help="write no audit-log rows")
    parser.add_argument("--no-data-checks", action="store_true",
                        help="check the envelopes only, not each field of data (a lower floor than the application's work)")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    importer = Importer(args.data_dir / "jcim.sqlite3", args.resources, audit=not args.no_audit,
                        data_checks=not args.no_data_checks)
    outcomes = []
    for path in args.files:
        try:
            package = importer.read(path)
            counts = importer.merge(package)
            totals = {k: sum(c[k] for c in counts.values()) for k in ("inserted", "updated", "unchanged", "conflicts")}
            outcomes.append({"file": str(path), "package_id": package["manifest"]["package_id"],
                             "status": "accepted", "reason": None, **totals})
        except Rejected as exc:
            outcomes.append({"file": str(path), "status": "rejected", "code": exc.code, "reason": str(exc)})
    importer.conn.close()
    print(json.dumps(outcomes, ensure_ascii=False))
    print(f"baseline peak {peak_mb():.1f} MB", file=sys.stderr)
    return 1 if any(o["status"] != "accepted" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
