"""The entity schemas of SYNC_FORMAT §4, their Japanese labels, and the validation of records."""

from __future__ import annotations

import base64
import binascii
import math
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import NamedTuple

from jcim_desktop.domain import kpi as _kpi
from jcim_desktop.domain import matching
from jcim_desktop.domain.lgcodes import lg_code_error
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.domain.versioning import CANONICAL_UUID, MAX_SAFE_INT
from jcim_desktop.domain.vocab import (
    EVENT_STATUSES,
    EVENT_TYPES,
    FACILITY_TYPES,
    NEED_STATUSES,
    PRECISIONS,
    SUPPORT_KINDS,
)
from jcim_desktop.errors import ValidationError
from jcim_desktop.privacy import remember_contact

ENTITIES: tuple[str, ...] = (
    "events",
    "pitch_presentations",
    "needs",
    "seeds",
    "matchings",
    "trials",
    "support_activities",
    "municipality_status",
    "kpi_targets",
    "closed_tallies",
    "trusted_keys",
)

ENTITY_LABELS: dict[str, str] = {
    "events": "活動・行事",
    "pitch_presentations": "ピッチ発表",
    "needs": "自治体ニーズ",
    "seeds": "シーズ（技術）",
    "matchings": "マッチング",
    "trials": "実証実験",
    "support_activities": "自治体支援",
    "municipality_status": "自治体ステータス",
    "kpi_targets": "KPI目標",
    "closed_tallies": "確定した集計",
    "trusted_keys": "登録された鍵",
}

SECRETARIAT_ONLY: frozenset[str] = frozenset({"municipality_status", "kpi_targets", "closed_tallies", "trusted_keys"})
CLOSED_SOURCES: dict[str, str] = {"app": "年度確定（この集計から）", "published": "公表値（過去の報告から）"}

# The KPI vocabulary is defined once, with the tally rules (kpi.py).
KPI_CODES: tuple[str, ...] = _kpi.KPI_CODES
KPI_LABELS: dict[str, str] = {k.code: k.label for k in _kpi.KPIS}
RATE_KPIS: frozenset[str] = frozenset(k.code for k in _kpi.KPIS if k.is_rate)

CONTACT_KEYS: tuple[str, ...] = ("name", "department", "email", "phone")
CONTACT_LABELS: dict[str, str] = {
    "name": "氏名",
    "department": "部署",
    "email": "メールアドレス",
    "phone": "電話番号",
}

PLANNED_KEYS: tuple[str, ...] = ("text", "start", "end", "precision", "tentative")

# An address as people write them (old mobile addresses have dots anywhere before the @).
_EMAIL_RE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
# 082-123-4567, (082)123-4567, 0120-123-456, +81-82-123-4567, full-width too; an extension may follow.
_PHONE_RE = re.compile(r"\+?[0-9()\s\-‐‑‒–—―−ー]+")
_PHONE_EXTENSION_RE = re.compile(r"\s*\(?\s*(?:内線|内|ext\.?|x)\s*[:.]?\s*[0-9]{1,6}\s*\)?\s*$", re.IGNORECASE)


def is_email(text: str) -> bool:
    """Whether ``text`` has the shape of an e-mail address (name@example.jp)."""
    return _EMAIL_RE.fullmatch(text.strip()) is not None


def is_phone(text: str) -> bool:
    """Whether ``text`` is a telephone number written with digits and hyphens (or brackets,
    spaces, a leading +): 7 to 15 digits, an extension (内線 12) aside."""
    normalized = unicodedata.normalize("NFKC", text).strip()
    normalized = _PHONE_EXTENSION_RE.sub("", normalized)
    if _PHONE_RE.fullmatch(normalized) is None:
        return False
    return 7 <= sum(ch.isdigit() for ch in normalized) <= 15


class FieldSpec(NamedTuple):
    """One field of an entity's ``data``.

    ``type`` is one of: str (one line), text (several lines), enum, date, planned, lg_code,
    lg_codes, facility_types, uuid, int, number, bool, contact, stages, country, orgs (a list of
    org codes), datetime (ISO date-time), kpis (figures by KPI code, as ``tally`` prints them).
    """

    name: str
    label: str
    type: str
    required: bool
    choices: Mapping[str, str] | None = None


def _f(name: str, label: str, type_: str, required: bool = True, choices: Mapping[str, str] | None = None) -> FieldSpec:
    return FieldSpec(name, label, type_, required, choices)


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "events": (
        _f("title", "活動・行事名", "str"),
        _f("event_type", "種別", "enum", choices=EVENT_TYPES),
        _f("planned", "開催予定日", "planned"),
        _f("status", "状況", "enum", choices=EVENT_STATUSES),
        _f("held_from", "実施日（開始）", "date", False),
        _f("held_to", "実施日（終了）", "date", False),
        _f("venue", "会場", "str", False),
        _f("description", "内容", "text", False),
        _f("series_no", "開催回", "int", False),
        _f("lg_codes", "参加・支援した自治体", "lg_codes"),
        _f("participants", "参加者数", "int", False),
        _f("counts_as_forum", "フォーラム実施数に数える", "bool"),
        _f("co_hosts", "共催した組織", "orgs", False),
    ),
    "pitch_presentations": (
        _f("event_id", "ピッチイベント", "uuid"),
        _f("seed_id", "シーズ（技術）", "uuid"),
        _f("need_id", "自治体ニーズ", "uuid", False),
        _f("order", "発表順", "int", False),
        _f("note", "備考", "text", False),
    ),
    "needs": (
        _f("lg_code", "自治体", "lg_code"),
        _f("title", "技術テーマ", "str"),
        _f("facility_types", "施設種別", "facility_types", choices=FACILITY_TYPES),
        _f("requirements", "求める内容・条件", "text"),
        _f("received_on", "受付日", "date"),
        _f("survey", "ニーズ調査", "str", False),
        _f("status", "状況", "enum", choices=NEED_STATUSES),
        _f("contact", "担当者連絡先", "contact", False),
    ),
    "seeds": (
        _f("company", "企業等名称", "str"),
        _f("tech_name", "技術名称", "str"),
        _f("summary", "技術の概要", "text"),
        _f("facility_types", "施設種別", "facility_types", choices=FACILITY_TYPES),
        _f("netis_no", "NETIS登録番号", "str", False),
        _f("registered_on", "登録日", "date", False),
        _f("contact", "担当者連絡先", "contact", False),
    ),
    "matchings": (
        _f("need_id", "自治体ニーズ", "uuid"),
        _f("seed_id", "シーズ（技術）", "uuid"),
        _f("pitch_event_id", "ピッチイベント", "uuid", False),
        _f("stages", "進捗段階", "stages"),
    ),
    "trials": (
        _f("title", "実証実験名", "str"),
        _f("series_no", "実施回", "int", False),
        _f("lg_code", "自治体", "lg_code"),
        _f("matching_id", "マッチング", "uuid", False),
        _f("need_id", "自治体ニーズ", "uuid", False),
        _f("seed_id", "シーズ（技術）", "uuid", False),
        _f("pitch_event_id", "ピッチイベント", "uuid", False),
        _f("planned", "実施予定日", "planned"),
        _f("status", "状況", "enum", choices=EVENT_STATUSES),
        _f("held_from", "実施日（開始）", "date", False),
        _f("held_to", "実施日（終了）", "date", False),
        _f("result", "結果", "text", False),
    ),
    "support_activities": (
        _f("kind", "支援の種類", "enum", choices=SUPPORT_KINDS),
        _f("on", "実施日", "date"),
        _f("lg_code", "自治体", "lg_code", False),
        _f("country", "国・地域", "country", False),
        _f("note", "備考", "text", False),
    ),
    "municipality_status": (
        _f("lg_code", "自治体", "lg_code"),
        _f("admin_member", "行政会員", "bool"),
        _f("mayors_council", "市区町村長会議 参画", "bool"),
        _f("as_of", "基準日", "date"),
    ),
    "kpi_targets": (
        _f("fiscal_year", "年度", "int"),
        _f("kpi", "KPI項目", "enum", choices=KPI_LABELS),
        _f("target", "目標値", "number"),
    ),
    "closed_tallies": (
        _f("fiscal_year", "年度", "int"),
        _f("closed_at", "確定日時", "datetime"),
        _f("closed_by", "確定した人", "str"),
        _f("source", "出典", "enum", choices=CLOSED_SOURCES),
        _f("kpis", "確定した数値", "kpis"),
        _f("note", "備考", "text", False),
    ),
    "trusted_keys": (
        _f("public_key", "公開鍵", "public_key"),
        _f("orgs", "書いてよい組織", "trust_orgs"),
        _f("label", "名前", "str"),
        _f("revoked_on", "失効日", "date", False),
    ),
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LG_CODE = re.compile(r"\d{6}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_INT = re.compile(r"[+-]?\d+")
# Lower bounds of integer fields; absent means any integer.
_INT_MIN: dict[str, int] = {"series_no": 1, "order": 1, "participants": 0}
# Defaults of required fields that a record may leave out.
_DEFAULTS: dict[str, object] = {"counts_as_forum": False}
_MISSING = object()
# SYNC_FORMAT §2: strings of at most 100,000 characters (integers: up to MAX_SAFE_INT).
MAX_TEXT = 100_000


def field_label(entity: str, field: str) -> str:
    """The Japanese label of ``field`` of ``entity``; the field name itself if it is unknown."""
    for spec in FIELDS.get(entity, ()):
        if spec.name == field:
            return spec.label
    return field


def _add(errors: dict[str, str], field: str, message: str) -> None:
    errors[field] = f"{errors[field]}\n{message}" if field in errors else message


def _choices_text(choices: Mapping[str, str]) -> str:
    return "、".join(choices.values())


class _Cleaner:
    """Cleans one record; every problem goes to ``errors`` so all are reported at once."""

    def __init__(
        self,
        is_known_lg_code: Callable[[str], bool],
        parse_planned_dict: Callable[[Mapping], object] | None,
        strict: bool = False,
    ) -> None:
        self.is_known_lg_code = is_known_lg_code
        self.parse_planned_dict = parse_planned_dict
        # Strict: data received in a package (SYNC_FORMAT §2), where a number is a JSON number
        # written as such and an id is a canonical UUID; people and spreadsheets get leeway.
        self.strict = strict
        self.errors: dict[str, str] = {}

    def error(self, field: str, message: str) -> None:
        _add(self.errors, field, message)

    def value(self, spec: FieldSpec, raw: object) -> object:
        if isinstance(raw, str) and spec.type not in _TEXT_TYPES:
            # A blank cell of an imported sheet means "not given" for a code, date or number.
            if not raw.strip():
                raw = None
        if raw is None or raw is _MISSING:
            return self.missing(spec)
        method: Callable[[_Cleaner, FieldSpec, object], object] = _METHODS[spec.type]
        return method(self, spec, raw)

    def missing(self, spec: FieldSpec) -> object:
        if spec.type in ("lg_codes", "facility_types", "stages", "orgs", "trust_orgs"):
            return []
        if spec.name in _DEFAULTS:
            return _DEFAULTS[spec.name]
        if spec.required:
            verb = "選んでください" if spec.type in ("enum", "lg_code", "uuid", "bool") else "入力してください"
            self.error(spec.name, f"{spec.label}を{verb}。")
        return None

    def _str(self, spec: FieldSpec, raw: object) -> object:
        if not isinstance(raw, str):
            self.error(spec.name, f"{spec.label}は文字で入力してください。")
            return None
        text = raw.strip()
        if not text:
            return self.missing(spec)
        return text

    _text = _str

    def _enum(self, spec: FieldSpec, raw: object) -> str | None:
        assert spec.choices is not None
        if isinstance(raw, str) and raw.strip() in spec.choices:
            return raw.strip()
        self.error(
            spec.name,
            f"{spec.label}「{raw}」は選べません。一覧から選んでください（{_choices_text(spec.choices)}）。",
        )
        return None

    def _date(self, spec: FieldSpec, raw: object) -> str | None:
        parsed = self.to_date(spec.label, raw)
        if isinstance(parsed, str):
            self.error(spec.name, parsed)
            return None
        text = parsed.isoformat()
        if raw == text and len(_GOOD_DATES) < _GOOD_DATES_MAX:
            _GOOD_DATES.add(text)
        return text

    @staticmethod
    def to_date(label: str, raw: object) -> date | str:
        """The date, or a Japanese message naming ``label``."""
        if isinstance(raw, date):
            return date(raw.year, raw.month, raw.day)
        text = raw.strip() if isinstance(raw, str) else None
        if text is None or not _ISO_DATE.fullmatch(text):
            return f"{label}の形式が正しくありません。YYYY-MM-DD（例: 2024-07-01）の形で入力してください。"
        try:
            return date.fromisoformat(text)
        except ValueError:
            return f"{label}の {text} は存在しない日付です。"

    def _int(self, spec: FieldSpec, raw: object) -> int | None:
        if self.strict and (type(raw) is not int):
            what = "小数点や指数を使わない整数" if isinstance(raw, float) else "整数（JSON の数値）"
            self.error(spec.name, f"{spec.label}「{str(raw)[:40]}」は{what}で書いてください。")
            return None
        number = _to_int(raw)
        low = _INT_MIN.get(spec.name)
        if number is None or number < (low or 0) and (low is not None or self.strict):
            bound = f"{low}以上の" if low is not None else "0以上の" if self.strict else ""
            self.error(spec.name, f"{spec.label}は{bound}整数で入力してください。")
            return None
        if abs(number) > MAX_SAFE_INT:
            self.error(spec.name, f"{spec.label}の {number} は大きすぎます（上限 {MAX_SAFE_INT:,}）。")
            return None
        return number

    def _number(self, spec: FieldSpec, raw: object) -> float | int | None:
        if self.strict and type(raw) not in (int, float):
            self.error(spec.name, f"{spec.label}「{str(raw)[:40]}」は数（JSON の数値）で書いてください。")
            return None
        number = _to_number(raw)
        if number is None or number < 0:
            self.error(spec.name, f"{spec.label}は0以上の数で入力してください。")
            return None
        if number > MAX_SAFE_INT:
            self.error(spec.name, f"{spec.label}の {number} は大きすぎます（上限 {MAX_SAFE_INT:,}）。")
            return None
        return number

    def _bool(self, spec: FieldSpec, raw: object) -> bool | None:
        # 0 and 1 are what a spreadsheet or an old script may hold for a check box.
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        self.error(spec.name, f"{spec.label}は「はい」か「いいえ」で指定してください。")
        return None

    def _uuid(self, spec: FieldSpec, raw: object) -> str | None:
        if isinstance(raw, uuid.UUID):
            return str(raw)
        if self.strict:
            if isinstance(raw, str) and CANONICAL_UUID.fullmatch(raw):
                return raw
            self.error(spec.name, f"{spec.label}のID「{str(raw)[:60]}」が小文字の正しい UUID（8-4-4-4-12 桁の 16 進数）ではありません。")
            return None
        if isinstance(raw, str):
            try:
                return str(uuid.UUID(raw.strip()))
            except ValueError:
                pass
        self.error(spec.name, f"{spec.label}のID「{raw}」の形式が正しくありません。一覧から選び直してください。")
        return None

    def lg_code_message(self, raw: object) -> str | tuple[str]:
        """The normalised code (in a 1-tuple), or a Japanese message."""
        code = unicodedata.normalize("NFKC", raw).strip() if isinstance(raw, str) else None
        if code is None or not _LG_CODE.fullmatch(code):
            return f"自治体コード「{raw}」は6桁の数字ではありません。自治体を一覧から選んでください。"
        if not self.is_known_lg_code(code):
            # A mistyped check digit is the common case: say which code was probably meant.
            problem = lg_code_error(code)
            if problem is not None:
                return f"自治体コード {code}: {problem}"
            return f"自治体コード {code} は存在しません。自治体を一覧から選んでください。"
        return (code,)

    def _lg_code(self, spec: FieldSpec, raw: object) -> str | None:
        result = self.lg_code_message(raw)
        if isinstance(result, str):
            self.error(spec.name, result)
            return None
        return result[0]

    def _lg_codes(self, spec: FieldSpec, raw: object) -> list[str]:
        if not isinstance(raw, (list, tuple)):
            self.error(spec.name, f"{spec.label}は自治体コードのリストで指定してください。")
            return []
        codes: list[str] = []
        for item in raw:
            if item is None or (isinstance(item, str) and not item.strip()):
                continue
            result = self.lg_code_message(item)
            if isinstance(result, str):
                self.error(spec.name, result)
            elif result[0] not in codes:
                codes.append(result[0])
        return codes

    def _facility_types(self, spec: FieldSpec, raw: object) -> list[str]:
        if not isinstance(raw, (list, tuple)):
            self.error(spec.name, f"{spec.label}はリストで指定してください。")
            return []
        assert spec.choices is not None
        kept: list[str] = []
        for item in raw:
            code = item.strip() if isinstance(item, str) else None
            if code is not None and code in spec.choices:
                if code not in kept:
                    kept.append(code)
            else:
                self.error(
                    spec.name,
                    f"{spec.label}「{item}」は選べません。一覧から選んでください（{_choices_text(spec.choices)}）。",
                )
        return kept

    def _orgs(self, spec: FieldSpec, raw: object) -> list[str]:
        if not isinstance(raw, (list, tuple)):
            self.error(spec.name, f"{spec.label}は組織コードのリストで指定してください。")
            return []
        kept: list[str] = []
        for item in raw:
            code = item.strip() if isinstance(item, str) else None
            if code is None or code not in ORGS:
                self.error(spec.name, f"{spec.label}の組織コード「{item}」はありません。一覧から選んでください。")
            elif code not in kept:
                kept.append(code)
        return kept

    def _trust_orgs(self, spec: FieldSpec, raw: object) -> list[str]:
        if isinstance(raw, (list, tuple)) and list(raw) == ["all"]:
            return ["all"]
        codes = self._orgs(spec, raw)
        if not codes and spec.name not in self.errors:
            self.error(spec.name, f"{spec.label}を一つ以上選んでください（すべての組織なら all）。")
        return codes

    def _public_key(self, spec: FieldSpec, raw: object) -> str | None:
        text = raw.strip() if isinstance(raw, str) else None
        try:
            if text is None or len(base64.b64decode(text, validate=True)) != 32:
                raise ValueError(text)
        except (ValueError, binascii.Error):
            self.error(spec.name, f"{spec.label}「{str(raw)[:60]}」は Ed25519 の公開鍵（32 バイトの base64）ではありません。")
            return None
        return text

    def _datetime(self, spec: FieldSpec, raw: object) -> str | None:
        text = raw.strip() if isinstance(raw, str) else None
        try:
            if text is None or len(text) < 16:
                raise ValueError(text)
            datetime.fromisoformat(text)
        except ValueError:
            self.error(spec.name, f"{spec.label}「{str(raw)[:40]}」は日時（例: 2025-05-30T10:00:00+09:00）で書いてください。")
            return None
        return text

    def _kpis(self, spec: FieldSpec, raw: object) -> dict[str, object] | None:
        if not isinstance(raw, Mapping) or not raw:
            self.error(spec.name, f"{spec.label}は KPI コードごとの数値（例: forums_held の total が 33）で指定してください。")
            return None
        figures: dict[str, object] = {}
        for code, figure in raw.items():
            total = figure.get("total") if isinstance(figure, Mapping) else None
            if isinstance(total, bool) or not isinstance(total, (int, float)) or not math.isfinite(total) or total < 0:
                self.error(spec.name, f"{spec.label}の {code} に 0 以上の total がありません。")
                continue
            figures[str(code)] = dict(figure) if isinstance(figure, Mapping) else figure
        return figures

    def _country(self, spec: FieldSpec, raw: object) -> str | None:
        code = unicodedata.normalize("NFKC", raw).strip().upper() if isinstance(raw, str) else None
        if code is None or not _COUNTRY.fullmatch(code):
            self.error(
                spec.name,
                f"{spec.label}「{raw}」は ISO 3166-1 の英字2文字の国コード（例: VN）で入力してください。",
            )
            return None
        return code

    def _contact(self, spec: FieldSpec, raw: object) -> dict[str, str | None] | None:
        remember_contact(raw)  # personal data: never in a log or crash report (privacy.redact)
        if not isinstance(raw, Mapping):
            self.error(spec.name, f"{spec.label}の形式が正しくありません。")
            return None
        contact: dict[str, str | None] = {}
        for key in raw:
            if key not in CONTACT_KEYS:
                self.error(spec.name, f"{spec.label}に不明な項目「{key}」があります。")
        for key in CONTACT_KEYS:
            value = raw.get(key)
            if value is not None and not isinstance(value, str):
                self.error(spec.name, f"{spec.label}の{CONTACT_LABELS[key]}は文字で入力してください。")
                value = None
            contact[key] = (value.strip() or None) if isinstance(value, str) else None
        email, phone = contact["email"], contact["phone"]
        if email is not None and "@" not in email:
            self.error(spec.name, f"{spec.label}のメールアドレス「{email}」に @ がありません。正しく入力してください。")
        elif email is not None and not self.strict and not is_email(email):
            # Typed or from a spreadsheet; a received package keeps what an earlier version stored.
            self.error(spec.name, f"{spec.label}のメールアドレス「{email}」の形式が正しくありません。"
                                  "半角で taro@example.jp のように入力してください。")
        if phone is not None and not self.strict and not is_phone(phone):
            self.error(spec.name, f"{spec.label}の電話番号「{phone}」は、市外局番から数字とハイフンで入力してください"
                                  "（例: 082-123-4567）。")
        if all(value is None for value in contact.values()):
            return None
        return contact

    def _stages(self, spec: FieldSpec, raw: object) -> list[dict[str, str]]:
        try:
            stages = matching.parse_stages(raw)
        except ValueError as exc:
            self.error(spec.name, str(exc))
            return []
        problems = matching.stage_errors(stages)
        for problem in problems:
            self.error(spec.name, problem)
        return matching.to_dicts(stages)

    def _planned(self, spec: FieldSpec, raw: object) -> dict[str, object] | None:
        bad_shape = f"{spec.label}の形式が正しくありません。"
        source: object = raw
        if self.parse_planned_dict is not None:
            if not isinstance(raw, Mapping):
                self.error(spec.name, bad_shape)
                return None
            try:
                parsed = self.parse_planned_dict(raw)
            except ValueError as exc:
                self.error(spec.name, f"{bad_shape}{exc}")
                return None
            source = parsed if isinstance(parsed, Mapping) else {k: getattr(parsed, k, None) for k in PLANNED_KEYS}
        return self.planned_shape(spec, source)

    def planned_shape(self, spec: FieldSpec, raw: object) -> dict[str, object] | None:
        bad_shape = f"{spec.label}の形式が正しくありません。"
        if not isinstance(raw, Mapping):
            self.error(spec.name, bad_shape)
            return None
        problems: list[str] = []
        unknown = [str(key) for key in raw if key not in PLANNED_KEYS]
        if unknown:
            problems.append(f"不明な項目「{'」「'.join(unknown)}」があります。")
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append("予定の書き方（例: 第2四半期、7月頃、未定）を入力してください。")
        bounds: dict[str, date | None] = {}
        for key, name in (("start", "開始"), ("end", "終了")):
            value = raw.get(key)
            if value is None or value == "":
                bounds[key] = None
                continue
            parsed = self.to_date(name, value)
            if isinstance(parsed, str):
                problems.append(parsed)
                bounds[key] = None
            else:
                bounds[key] = parsed
        start, end = bounds["start"], bounds["end"]
        if (start is None) != (end is None) and not problems:
            problems.append("開始と終了の日付は両方とも入れるか、両方とも空にしてください。")
        if start is not None and end is not None and end < start:
            problems.append(f"終了 {end.isoformat()} が開始 {start.isoformat()} より前です。")
        precision = raw.get("precision")
        if precision not in PRECISIONS:
            problems.append(f"精度「{precision}」は選べません（{'、'.join(PRECISIONS)}）。")
        tentative = raw.get("tentative", False)
        if tentative is None:
            tentative = False
        if not isinstance(tentative, bool):
            problems.append("「予定（仮）」かどうかは true か false で指定してください。")
        if problems:
            self.error(spec.name, bad_shape + "".join(problems))
            return None
        return {
            "text": text,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "precision": precision,
            "tentative": tentative,
        }


def _to_int(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        return int(text) if _INT.fullmatch(text) else None
    return None


def _to_number(raw: object) -> int | float | None:
    if isinstance(raw, bool):
        return None
    number: int | float
    if isinstance(raw, (int, float)):
        number = raw
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
        try:
            number = int(text) if _INT.fullmatch(text) else float(text)
        except ValueError:
            return None
    else:
        return None
    if isinstance(number, float):
        if not math.isfinite(number):
            return None
        if number.is_integer():
            number = int(number)
    return number


def _cross_field_rules(entity: str, data: dict[str, object], errors: dict[str, str]) -> None:
    if entity in ("events", "trials"):
        held_from, held_to = data["held_from"], data["held_to"]
        if held_from is not None and held_to is not None and str(held_to) < str(held_from):
            _add(errors, "held_to", "実施日（終了）が実施日（開始）より前です。")
        if held_from is None and "held_from" not in errors:
            if held_to is not None:
                _add(errors, "held_from", "実施日（終了）を入れるときは実施日（開始）も入力してください。")
            elif data["status"] == "held":
                _add(errors, "held_from", "実施済にするには実施日を入力してください。")
    elif entity == "support_activities":
        if data["lg_code"] is None and data["country"] is None and not {"lg_code", "country"} & errors.keys():
            _add(errors, "lg_code", "自治体か国・地域のどちらかを入力してください。")
    elif entity == "trusted_keys":
        if not data["orgs"] and "orgs" not in errors:
            _add(errors, "orgs", "書いてよい組織を一つ以上選んでください（すべての組織なら all）。")
    elif entity == "closed_tallies":
        year = data["fiscal_year"]
        if isinstance(year, int) and not 2000 <= year <= 2100:
            _add(errors, "fiscal_year", "年度は2000～2100の西暦で入力してください（令和6年度なら 2024）。")
        kpis = data["kpis"]
        if data["source"] == "app" and isinstance(kpis, Mapping) and "kpis" not in errors:
            missing = [code for code in KPI_CODES if code not in kpis]
            if missing:
                _add(errors, "kpis", f"年度確定の数値に KPI {'、'.join(missing)} がありません。")
    elif entity == "kpi_targets":
        year = data["fiscal_year"]
        if isinstance(year, int) and not 2000 <= year <= 2100:
            _add(errors, "fiscal_year", "年度は2000～2100の西暦で入力してください（令和6年度なら 2024）。")
        kpi, target = data["kpi"], data["target"]
        if isinstance(target, (int, float)) and isinstance(kpi, str):
            if kpi in RATE_KPIS:
                if target > 1:
                    _add(
                        errors,
                        "target",
                        f"{KPI_LABELS[kpi]}の目標値は割合（0～1）で入力してください。70%なら 0.7 です。",
                    )
                else:
                    data["target"] = float(target)
            elif not isinstance(target, int):
                _add(errors, "target", f"{KPI_LABELS[kpi]}の目標値は件数なので整数で入力してください。")


_TEXT_TYPES = frozenset({"str", "text", "planned"})
# Dates already seen written exactly as ``_date`` writes them (a few thousand distinct values in
# any real data; bounded all the same): the strict path accepts them without parsing again.
_GOOD_DATES: set[str] = set()
_GOOD_DATES_MAX = 200_000
# The strict path's shortcut per field (``clean``): a value already exactly what cleaning it would
# give is taken as it is. 1: one-line or multi-line text, 2: a choice, 3: an ISO date, 4: a bool.
_SHORTCUT = {"str": 1, "text": 1, "enum": 2, "date": 3, "bool": 4}
_PLANS: dict[str, tuple[tuple[str, FieldSpec, int, object], ...]] = {
    entity: tuple((spec.name, spec, _SHORTCUT.get(spec.type, 0), spec.choices or ()) for spec in specs)
    for entity, specs in FIELDS.items()
}
_KNOWN: dict[str, frozenset[str]] = {entity: frozenset(spec.name for spec in specs) for entity, specs in FIELDS.items()}
_METHODS: dict[str, Callable[..., object]] = {
    name[1:]: member for name, member in vars(_Cleaner).items() if name.startswith("_") and not name.startswith("__")
}


def clean(
    entity: str,
    data: Mapping[str, object],
    *,
    is_known_lg_code: Callable[[str], bool],
    parse_planned_dict: Callable[[Mapping], object] | None = None,
    strict: bool = False,
) -> dict:
    """A normalised copy of ``data`` in SYNC_FORMAT shape, or ``ValidationError`` with every problem.

    ``is_known_lg_code`` says whether a 6-digit code is a local government of the master;
    ``parse_planned_dict``, if given, checks a PlannedDate dict and raises ``ValueError``;
    ``strict`` applies the rules for data received in a package (numbers written as JSON
    integers, canonical UUIDs). Unknown fields are refused: split them off first with
    ``split_unknown`` where a later version's fields are to be kept.
    """
    if entity not in FIELDS:
        raise ValueError(f"不明なデータの種類です: {entity}")
    if not isinstance(data, Mapping):
        raise ValidationError({"data": f"{ENTITY_LABELS[entity]}のデータの形式が正しくありません。"})
    cleaner = _Cleaner(is_known_lg_code, parse_planned_dict, strict)
    specs = FIELDS[entity]
    known = _KNOWN[entity]
    if not known.issuperset(data):
        for key in data:
            if key not in known:
                cleaner.error(str(key), "不明な項目です。")
    result: dict[str, object] = {}
    get = data.get
    if strict:
        # Received data (SYNC_FORMAT §2) is mostly exactly what cleaning gives back: such values
        # are taken as they are, without the general path (a third of an import's validation).
        for name, spec, shortcut, choices in _PLANS[entity]:
            raw = get(name, _MISSING)
            kind = type(raw)
            if shortcut and (
                (shortcut == 1 and kind is str and raw and not raw[0].isspace() and not raw[-1].isspace())  # type: ignore[index]
                or (shortcut == 2 and kind is str and raw in choices)  # type: ignore[operator]
                or (shortcut == 3 and kind is str and raw in _GOOD_DATES)
                or (shortcut == 4 and kind is bool)
            ):
                result[name] = raw
            else:
                result[name] = cleaner.value(spec, raw)
    else:
        for spec in specs:
            result[spec.name] = cleaner.value(spec, get(spec.name, _MISSING))
    _cross_field_rules(entity, result, cleaner.errors)
    if not strict:
        # What a person typed or a spreadsheet held must be storable and travel in a package
        # (SYNC_FORMAT §2); a received package's text was checked when it was read.
        for spec in specs:
            problem = _text_problem(result.get(spec.name))
            if problem is not None and spec.name not in cleaner.errors:
                cleaner.error(spec.name, f"{spec.label}{problem}")
    if cleaner.errors:
        raise ValidationError(cleaner.errors)
    return result


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _text_problem(value: object) -> str | None:
    """Why a cleaned value holds text that cannot be stored faithfully, or ``None``."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return f"が長すぎます（{len(value):,} 文字）。{MAX_TEXT:,} 文字以内にしてください。"
        if _UNSTORABLE.search(value):
            return "に使えない文字（NUL 文字や壊れた文字）が含まれています。その文字を消して入力し直してください。"
        return None
    if isinstance(value, dict):
        values: list[object] = list(value.values())
    elif isinstance(value, list):
        values = list(value)
    else:
        return None
    for item in values:
        problem = _text_problem(item)
        if problem is not None:
            return problem
    return None


def split_unknown(entity: str, data: Mapping[str, object]) -> tuple[Mapping[str, object], dict[str, object] | None]:
    """(the fields this version knows, the others or ``None``) of a received record's ``data``.

    SYNC_FORMAT §2: unknown fields of a known entity are kept as received and written back out.
    """
    known = _KNOWN[entity]
    if known.issuperset(data):
        return data, None
    return ({k: v for k, v in data.items() if k in known}, {k: v for k, v in data.items() if k not in known})


def number_problem(value: object, where: str = "") -> str | None:
    """Why a JSON value received in ``data`` breaks the number rules of SYNC_FORMAT §2, or ``None``.

    Every integer from 0 to 2^53 - 1, every number finite (and, being a JSON number, below 2^53
    in size: a bigger one could not be written back unchanged).
    """
    stack: list[tuple[object, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, bool) or item is None or isinstance(item, str):
            continue
        if isinstance(item, int):
            if not 0 <= item <= MAX_SAFE_INT:
                return f"{path} の整数 {str(item)[:40]} は 0 から 2^53−1 までの範囲にありません"
        elif isinstance(item, float):
            if not math.isfinite(item) or abs(item) > MAX_SAFE_INT:
                return f"{path} の数 {str(item)[:40]} は扱える範囲にありません"
        elif isinstance(item, dict):
            stack.extend((child, f"{path}.{key}" if path else str(key)) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))
    return None
