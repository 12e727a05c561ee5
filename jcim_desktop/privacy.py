"""Contacts stay where they belong: no contact (個人情報) in a log or a crash report.

The ``contact`` of a need or a seed (SYNC_FORMAT §4: name, department, e-mail, phone) is
personal data. It is shown on the record's own screen and written to a sync package or an Excel
file only when the person ticks 連絡先を含める; it must never reach ``logs/crash.log``, the
standard error of a log record, or any other text written for developers. An exception message
may carry anything (a record's ``data``, an SQL statement's parameters, a validation message that
quotes the e-mail typed), so every such text passes through ``redact`` first:

- the values of contacts this process has seen (``remember_contact``: every contact that is
  validated, that is, typed, imported or received) and, for a crash report, every contact stored
  in the data folder's database, each also as it looks escaped in JSON;
- anything shaped like an e-mail address or a Japanese telephone number;
- the value after a contact key (``'email': '…'``, ``"name": "…"``, ``phone=…``) and after a
  contact label quoting it (メールアドレス「…」).

``install_log_redaction`` makes every log record of the process pass through ``redact`` (its
message, arguments and traceback are formatted and redacted when the record is made).

Nothing here imports the rest of the application (``errors`` uses it, and so does ``domain``).
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

CONTACT_KEYS: tuple[str, ...] = ("name", "department", "email", "phone")
"""The keys of a contact (as ``domain.entities.CONTACT_KEYS``)."""
CONTACT_LABELS: tuple[str, ...] = ("氏名", "部署", "メールアドレス", "電話番号", "担当者", "担当者名")

REDACTED = "［個人情報を省略］"
"""What a contact value becomes in a log."""

MIN_LENGTH = 2
"""Shorter values (a one-letter department) are not searched for: they would blot out the text."""

PLACEHOLDERS: frozenset[str] = frozenset({
    "なし", "無し", "特になし", "特に無し", "不明", "未定", "同上", "未記入", "なし。", "ー", "--", "n/a", "N/A", "none",
})
"""What people type in a contact field when there is nothing to say: not personal data, and
blotting these out of a log would garble ordinary messages (「埋め込みなし」)."""

MAX_REMEMBERED = 4000
"""The contacts seen most recently that are remembered (values, not contacts): a merge of a
large package validates every contact, and the log must stay quick to redact."""

_lock = threading.Lock()
_remembered: OrderedDict[str, None] = OrderedDict()


def _values(contact: object) -> list[str]:
    if not isinstance(contact, Mapping):
        return []
    out = []
    for key in CONTACT_KEYS:
        value = contact.get(key)
        if isinstance(value, str):
            value = value.strip()
            if len(value) >= MIN_LENGTH and value not in PLACEHOLDERS:
                out.append(value)
    return out


def remember_contact(contact: object) -> None:
    """Note the values of ``contact`` (a mapping with some of ``CONTACT_KEYS``) so that no log
    written by this process shows them. Anything else is ignored; this never raises."""
    values = _values(contact)
    if not values:
        return
    with _lock:
        for value in values:
            _remembered[value] = None
            _remembered.move_to_end(value)
        while len(_remembered) > MAX_REMEMBERED:
            _remembered.popitem(last=False)


def remembered() -> list[str]:
    with _lock:
        return list(_remembered)


def forget_remembered() -> None:
    """Forget the remembered values (for tests)."""
    with _lock:
        _remembered.clear()


def stored_contact_values(data_dir: Path | str | None) -> set[str]:
    """The values of every contact stored in the database of ``data_dir`` (deleted records too):
    its SQLite file read with a read-only connection, or the shared PostgreSQL database it works
    on (``JCIM_DESKTOP_DATABASE_URL``, else the folder's settings); empty when there is no
    database or it cannot be read."""
    if data_dir is None:
        return set()
    url = _shared_database_url(Path(data_dir))
    if url is not None:
        return _server_contact_values(url)
    path = Path(data_dir) / "jcim.sqlite3"  # store.database.DB_FILE_NAME (store sits above this module)
    if not path.is_file():
        return set()
    found: set[str] = set()
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except (sqlite3.Error, OSError, ValueError):
        return found
    try:
        for table in _CONTACT_TABLES:
            try:
                rows = conn.execute(f"SELECT contact FROM {table} WHERE contact IS NOT NULL").fetchall()  # noqa: S608 - fixed names
            except sqlite3.Error:
                continue
            found.update(_contact_values(raw for (raw,) in rows))
    finally:
        conn.close()
    return found


_CONTACT_TABLES = ("needs", "seeds")


def _contact_values(raws: Iterable[Any]) -> set[str]:
    found: set[str] = set()
    for raw in raws:
        try:
            found.update(_values(json.loads(raw) if isinstance(raw, str) else raw))
        except (ValueError, TypeError):
            continue
    return found


def _shared_database_url(data_dir: Path) -> str | None:
    """The shared database ``data_dir`` works on, as ``store.database.resolve_url`` finds it
    (the environment, then the settings; store sits above this module, so read here plainly)."""
    import os

    url = os.environ.get("JCIM_DESKTOP_DATABASE_URL")
    if url is None:
        try:
            url = json.loads((data_dir / "settings.json").read_text(encoding="utf-8")).get("database_url")
        except (OSError, ValueError, AttributeError):
            return None
    return url.strip() if isinstance(url, str) and url.strip().startswith("postgresql") else None


def _server_contact_values(url: str) -> set[str]:
    """``stored_contact_values`` of a shared PostgreSQL database (a short connection of its own,
    read only; nothing if the server cannot be reached within a few seconds)."""
    try:
        import psycopg

        conninfo = "postgresql://" + url.split("://", 1)[1]  # libpq's URI: SQLAlchemy's without "+psycopg"
        with psycopg.connect(conninfo, connect_timeout=3) as conn:
            conn.read_only = True
            found: set[str] = set()
            for table in _CONTACT_TABLES:
                rows = conn.execute(f"SELECT contact::text FROM {table} WHERE contact IS NOT NULL").fetchall()  # noqa: S608 - fixed names
                found.update(_contact_values(raw for (raw,) in rows))
            return found
    except Exception:  # noqa: BLE001 - a crash report is written anyway, with what is known
        return set()


# -- redaction ---------------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-!#$&*/=?^`{|}~]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*")
# A Japanese telephone number: starts with 0 or +81, digits in groups parted by hyphens, spaces
# or brackets (half- or full-width); 9 to 13 digits in all (checked in _phone). Not inside a
# longer word, an id (uuid groups are parted by hyphens too) or a path.
_SEP = r"[\s\-‐‑‒–—―−ー－()（）]"
_PHONE = re.compile(
    rf"(?<![\w\-‐－./:\\])(?:[+＋][8８][1１]{_SEP}?|[(（]?[0０])\d{{1,10}}(?:{_SEP}{{1,3}}\d{{1,5}}){{0,3}}(?![\w\-‐－])"
)
# The value after a contact key in a repr or JSON ('email': '…', "name": "…", phone=…), and a
# quoted value after a contact label (メールアドレス「…」).
_KEYED = re.compile(
    r"""(?P<key>(?P<kq>\\?["'])(?:name|department|email|phone)(?P=kq)\s*:\s*)(?P<q>\\?["'])(?P<value>.*?)(?<!\\)(?P=q)"""
)
_ARGUMENT = re.compile(r"""(?P<key>\b(?:email|phone|department)\s*=\s*)(?P<q>["'])(?P<value>.*?)(?P=q)""")
_LABELLED = re.compile(rf"(?P<label>{'|'.join(CONTACT_LABELS)})(?P<open>[「『“\"'])(?P<value>[^」』”\"'\n]*)(?P<close>[」』”\"'])")


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return REDACTED if 9 <= digits <= 13 else match.group(0)


def _variants(value: str) -> list[str]:
    """``value`` as it may appear in a text: as is, escaped in JSON (ensure_ascii), and that
    escaped once more (the repr of a JSON string)."""
    out = [value]
    escaped = json.dumps(value)[1:-1]
    if escaped != value:
        out.append(escaped)
        out.append(escaped.replace("\\", "\\\\"))
    return out


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every contact value it shows replaced by ``REDACTED``: the values remembered
    (``remember_contact``), ``extra`` (e.g. ``stored_contact_values``), and anything shaped like
    an e-mail address, a telephone number or a contact field's value."""
    if not text:
        return text
    values = set(remembered())
    values.update(v for v in extra if isinstance(v, str) and len(v.strip()) >= MIN_LENGTH)
    # Longest first: a name inside a longer value (山田 in 山田 太郎) must not leave the rest.
    for value in sorted({v.strip() for v in values}, key=len, reverse=True):
        for variant in _variants(value):
            if variant in text:
                text = text.replace(variant, REDACTED)
    text = _KEYED.sub(lambda m: f"{m.group('key')}{m.group('q')}{REDACTED}{m.group('q')}", text)
    text = _ARGUMENT.sub(lambda m: f"{m.group('key')}{m.group('q')}{REDACTED}{m.group('q')}", text)
    text = _LABELLED.sub(lambda m: f"{m.group('label')}{m.group('open')}{REDACTED}{m.group('close')}", text)
    text = _EMAIL.sub(REDACTED, text)
    return _PHONE.sub(_phone, text)


# -- logging -----------------------------------------------------------------------------------

_installed = False


def _redacting_factory(make: Any) -> Any:
    formatter = logging.Formatter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = make(*args, **kwargs)
        try:
            record.msg = redact(record.getMessage())
            record.args = None
            if record.exc_info:
                record.exc_text = redact(formatter.formatException(record.exc_info))
                # The exception itself stays out of the record: a handler formats exc_text only.
                record.exc_info = None
            if record.stack_info:
                record.stack_info = redact(record.stack_info)
        except Exception:  # noqa: BLE001 - a log call never fails because of the redaction
            record.msg, record.args, record.exc_info, record.exc_text = "(log message withheld)", None, None, None
        return record

    factory.redacts_contacts = True  # type: ignore[attr-defined]
    return factory


def install_log_redaction() -> None:
    """Make every log record of this process pass through ``redact`` (once; idempotent)."""
    global _installed
    with _lock:
        current = logging.getLogRecordFactory()
        if _installed and getattr(current, "redacts_contacts", False):
            return
        logging.setLogRecordFactory(_redacting_factory(current))
        _installed = True
