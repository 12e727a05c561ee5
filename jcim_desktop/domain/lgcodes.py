"""Local-government codes (全国地方公共団体コード, JIS X 0402) and the registry of their bodies."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

from jcim_desktop.domain.text import normalize_for_search
from jcim_desktop.paths import resource_path

Kind = Literal["prefecture", "city", "town", "village", "special_ward"]
KINDS: tuple[str, ...] = get_args(Kind)
MUNICIPALITY_KINDS: tuple[str, ...] = ("city", "town", "village", "special_ward")

KIND_LABELS: dict[str, str] = {
    "prefecture": "都道府県",
    "city": "市",
    "town": "町",
    "village": "村",
    "special_ward": "特別区",
}

_WEIGHTS = (6, 5, 4, 3, 2)
_FIVE_DIGITS = re.compile(r"[0-9]{5}")
_SIX_DIGITS = re.compile(r"[0-9]{6}")


def check_digit(first5: str) -> int:
    """The JIS X 0402 check digit of the first five digits of a code."""
    if not isinstance(first5, str) or not _FIVE_DIGITS.fullmatch(first5):
        raise ValueError(f"5桁の数字が必要です: {first5!r}")
    total = sum(int(d) * w for d, w in zip(first5, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def lg_code_error(code: object) -> str | None:
    """A Japanese message saying what is wrong with a code, or None if it is valid."""
    if not isinstance(code, str) or not _SIX_DIGITS.fullmatch(code):
        if isinstance(code, str):
            # Full-width digits are a typing slip worth naming, not a different mistake.
            folded = unicodedata.normalize("NFKC", code).strip()
            if folded != code and _SIX_DIGITS.fullmatch(folded):
                return "半角の6桁の数字で入力してください"
        return "6桁の数字で入力してください"
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        correct = f"{code[:5]}{expected}"
        return f"検査数字が一致しません（正しくは {correct} です。{code} ではありません）"
    return None


def is_valid_lg_code(code: object) -> bool:
    """Whether ``code`` is a str of exactly six ASCII digits with a correct check digit."""
    return lg_code_error(code) is None


def prefecture_lg_code(pref_code: str) -> str:
    """The code of a prefecture itself: its two digits, ``000`` and the check digit."""
    first5 = f"{pref_code}000"
    return f"{first5}{check_digit(first5)}"


@dataclass(frozen=True)
class LocalGovernment:
    lg_code: str
    pref_code: str
    prefecture: str
    name: str
    name_kana: str
    kind: Kind

    @property
    def is_prefecture(self) -> bool:
        return self.kind == "prefecture"

    @property
    def full_name(self) -> str:
        return self.name if self.is_prefecture else f"{self.prefecture}{self.name}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class _SearchKeys:
    entry: LocalGovernment
    name: str
    full_name: str
    kana: str
    full_kana: str
    haystack: str


# Search tiers, best first.
_EXACT, _NAME_PREFIX, _KANA_PREFIX, _FULL_PREFIX, _SUBSTRING = range(5)


class LocalGovernmentRegistry:
    """Prefectures and municipalities by code, with the forum block of each prefecture."""

    def __init__(self, entries: Iterable[LocalGovernment], blocks: Mapping[str, str]) -> None:
        ordered = sorted(entries, key=lambda e: e.lg_code)
        self._by_code: dict[str, LocalGovernment] = {}
        for entry in ordered:
            if entry.lg_code in self._by_code:
                raise ValueError(f"団体コード {entry.lg_code} が重複しています")
            self._by_code[entry.lg_code] = entry
        self._all = ordered
        self._codes = [e.lg_code for e in ordered]
        self._blocks = dict(blocks)
        pref_kana = {
            e.pref_code: normalize_for_search(e.name_kana) for e in ordered if e.is_prefecture
        }
        self._keys = [self._make_keys(e, pref_kana) for e in ordered]

    @staticmethod
    def _make_keys(entry: LocalGovernment, pref_kana: Mapping[str, str]) -> _SearchKeys:
        name = normalize_for_search(entry.name)
        full_name = normalize_for_search(entry.full_name)
        kana = normalize_for_search(entry.name_kana)
        full_kana = kana if entry.is_prefecture else pref_kana.get(entry.pref_code, "") + kana
        # One joined string lets a miss be rejected with a single ``in`` test.
        haystack = "\x00".join((name, full_name, kana, full_kana))
        return _SearchKeys(entry, name, full_name, kana, full_kana, haystack)

    # -- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls, municipalities_csv: Path, prefectures_csv: Path) -> LocalGovernmentRegistry:
        """Read and validate the two master CSVs; a broken row raises ValueError naming it."""
        entries: list[LocalGovernment] = []
        blocks: dict[str, str] = {}
        pref_names: dict[str, str] = {}

        pref_columns = ("pref_code", "lg_code", "name", "name_kana", "block")
        for where, row in _read_rows(prefectures_csv, pref_columns):
            code = row["lg_code"]
            _check_code(where, code)
            pref_code = row["pref_code"]
            if not re.fullmatch(r"[0-9]{2}", pref_code) or code != prefecture_lg_code(pref_code):
                raise ValueError(
                    f"{where}: 都道府県コード {pref_code!r} と団体コード {code} が合いません"
                )
            if pref_code in pref_names:
                raise ValueError(f"{where}: 都道府県コード {pref_code} が重複しています")
            if not row["name"] or not row["block"]:
                raise ValueError(f"{where}: name と block は必須です")
            pref_names[pref_code] = row["name"]
            blocks[pref_code] = row["block"]
            name, kana = row["name"], row["name_kana"]
            entries.append(LocalGovernment(code, pref_code, name, name, kana, "prefecture"))

        columns = ("lg_code", "pref_code", "prefecture", "name", "name_kana", "kind")
        for where, row in _read_rows(municipalities_csv, columns):
            code = row["lg_code"]
            _check_code(where, code)
            pref_code = row["pref_code"]
            if code[:2] != pref_code:
                raise ValueError(
                    f"{where}: 団体コード {code} は都道府県コード {pref_code!r} で始まりません"
                )
            if code[2:5] == "000":
                raise ValueError(f"{where}: {code} は都道府県のコードです")
            if pref_names.get(pref_code) != row["prefecture"]:
                raise ValueError(
                    f"{where}: 都道府県 {row['prefecture']!r} が prefectures の {pref_code} と合いません"
                )
            kind = row["kind"]
            if kind not in MUNICIPALITY_KINDS:
                kinds = ", ".join(MUNICIPALITY_KINDS)
                raise ValueError(f"{where}: 種別 {kind!r} は {kinds} のいずれかです")
            if not row["name"]:
                raise ValueError(f"{where}: name は必須です")
            name, kana = row["name"], row["name_kana"]
            entries.append(
                LocalGovernment(code, pref_code, row["prefecture"], name, kana, cast(Kind, kind))
            )
        return cls(entries, blocks)

    # -- lookup --------------------------------------------------------------------------

    def get(self, code: object) -> LocalGovernment | None:
        return self._by_code.get(code) if isinstance(code, str) else None

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[LocalGovernment]:
        return iter(self._all)

    def all(self) -> list[LocalGovernment]:
        """Everything in code order, so each prefecture comes before its municipalities."""
        return list(self._all)

    def municipalities(self) -> list[LocalGovernment]:
        return [e for e in self._all if not e.is_prefecture]

    def prefectures(self) -> list[LocalGovernment]:
        return [e for e in self._all if e.is_prefecture]

    def municipalities_of(self, pref_code: str) -> list[LocalGovernment]:
        return [e for e in self._all if e.pref_code == pref_code and not e.is_prefecture]

    def blocks(self) -> list[str]:
        """Forum block codes in the order of their first prefecture."""
        return list(dict.fromkeys(self._blocks[p] for p in sorted(self._blocks)))

    def block_of_prefecture(self, pref_code: str) -> str:
        """The forum block of a prefecture (KeyError if the prefecture is unknown)."""
        try:
            return self._blocks[pref_code]
        except KeyError:
            raise KeyError(f"都道府県コード {pref_code!r} は登録されていません") from None

    def block_of(self, lg_code: str) -> str:
        """The forum block of the prefecture a valid code belongs to (KeyError otherwise)."""
        if not is_valid_lg_code(lg_code):
            raise KeyError(f"団体コード {lg_code!r} は正しくありません")
        return self.block_of_prefecture(lg_code[:2])

    def prefectures_of_block(self, block: str) -> list[LocalGovernment]:
        return [e for e in self._all if e.is_prefecture and self._blocks.get(e.pref_code) == block]

    # -- search --------------------------------------------------------------------------

    def search(self, text: str, limit: int = 20) -> list[LocalGovernment]:
        """Incremental search by code prefix (digits) or by name, full name or kana.

        Ranking: exact name, name prefix, kana prefix, full-name prefix, substring; ties by code.
        """
        query = normalize_for_search(text)
        if not query or limit <= 0:
            return []
        if query.isascii() and query.isdigit():
            start = bisect_left(self._codes, query)
            found: list[LocalGovernment] = []
            for code in self._codes[start : start + limit]:
                if not code.startswith(query):
                    break
                found.append(self._by_code[code])
            return found

        ranked: list[tuple[int, int]] = []
        for index, keys in enumerate(self._keys):
            if query not in keys.haystack:
                continue
            if query == keys.name or query == keys.full_name:
                tier = _EXACT
            elif keys.name.startswith(query):
                tier = _NAME_PREFIX
            elif keys.kana.startswith(query) or keys.full_kana.startswith(query):
                tier = _KANA_PREFIX
            elif keys.full_name.startswith(query):
                tier = _FULL_PREFIX
            else:
                tier = _SUBSTRING
            ranked.append((tier, index))
        ranked.sort()
        return [self._keys[index].entry for _, index in ranked[:limit]]


def _check_code(where: str, code: str) -> None:
    error = lg_code_error(code)
    if error is not None:
        raise ValueError(f"{where}: 団体コード {code!r}: {error}")


def _read_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path.name}: 列 {', '.join(missing)} がありません")
        for row in reader:
            where = f"{path.name} {reader.line_num}行目"
            yield where, {c: (row.get(c) or "").strip() for c in columns}


@functools.cache
def default_registry() -> LocalGovernmentRegistry:
    """The registry of the bundled master data, loaded once."""
    return LocalGovernmentRegistry.load(
        resource_path("municipalities.csv"), resource_path("prefectures.csv")
    )
