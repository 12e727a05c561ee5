"""Which local government a person meant (福山市, 広島県福山市, ふくやま, 34207, 342076), or a
Japanese message saying what to write instead."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from jcim_desktop.domain.lgcodes import LocalGovernment, LocalGovernmentRegistry, check_digit, lg_code_error
from jcim_desktop.domain.text import normalize_for_search
from jcim_desktop.reports.excel_import.layout import LG_LIST_SHEET

_KANA_SUFFIXES = {
    "city": ("し",), "town": ("まち", "ちょう"), "village": ("むら", "そん"), "special_ward": ("く",),
    "prefecture": ("けん", "ふ", "と"),
}
_NAME_SUFFIXES = {"city": "市", "town": "町", "village": "村", "special_ward": "区", "prefecture": "県府都"}


class LgIndex:
    """Exact lookup of what people write for a local government, in tiers: names, kana, short forms."""

    def __init__(self, registry: LocalGovernmentRegistry) -> None:
        self.registry = registry
        self.tiers: list[dict[str, list[LocalGovernment]]] = [{}, {}, {}]
        pref_kana = {e.pref_code: normalize_for_search(e.name_kana) for e in registry if e.is_prefecture}
        for entry in registry:
            name, full = normalize_for_search(entry.name), normalize_for_search(entry.full_name)
            kana = normalize_for_search(entry.name_kana)
            full_kana = kana if entry.is_prefecture else pref_kana.get(entry.pref_code, "") + kana
            self._add(0, entry, name, full)
            self._add(1, entry, kana, full_kana)
            short: list[str] = []
            if name[-1:] and name[-1] in _NAME_SUFFIXES[entry.kind] and len(name) > 1 and entry.name != "北海道":
                short += [name[:-1], full[:-1]]
            for suffix in _KANA_SUFFIXES[entry.kind]:
                if kana.endswith(suffix) and len(kana) > len(suffix) and entry.name != "北海道":
                    short += [kana[: -len(suffix)], full_kana[: -len(suffix)]]
                    break
            self._add(2, entry, *short)

    def _add(self, tier: int, entry: LocalGovernment, *keys: str) -> None:
        for key in keys:
            bucket = self.tiers[tier].setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    def resolve(self, value: Any) -> LocalGovernment | str:
        """The one local government ``value`` names, or a Japanese message saying what to do."""
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            return self._by_number(value)
        text = unicodedata.normalize("NFKC", str(value)).strip()
        compact = "".join(text.split())
        if compact.isascii() and compact.isdigit():
            return self._by_digits(compact, text)
        key = normalize_for_search(text)
        for tier in self.tiers:
            hits = tier.get(key)
            if hits:
                return hits[0] if len(hits) == 1 else self._ambiguous(text, hits)
        suggestions = [e.full_name for e in self.registry.search(text, limit=3)]
        hint = f"（候補: {'、'.join(suggestions)}）" if suggestions else ""
        return (
            f"「{text}」という自治体が見つかりません{hint}。「{LG_LIST_SHEET}」シートにある名前"
            "（例: 広島県福山市）か、6桁の団体コード（例: 342076）を入力してください。"
        )

    def _by_digits(self, digits: str, text: str) -> LocalGovernment | str:
        if len(digits) == 5:
            digits += str(check_digit(digits))
        if len(digits) != 6:
            return f"団体コード「{text}」は6桁（または検査数字を除いた5桁）の数字で入力してください（例: 342076）。"
        entry = self.registry.get(digits)
        if entry is not None:
            return entry
        problem = lg_code_error(digits)
        if problem is not None:
            return f"団体コード {digits}: {problem}"
        return f"団体コード {digits} の自治体はありません。「{LG_LIST_SHEET}」シートで確かめてください。"

    def _by_number(self, number: int) -> LocalGovernment | str:
        # A code typed into a number cell loses its leading zero (011002 → 11002).
        if number < 0:
            return f"団体コード「{number}」は正しくありません。6桁の団体コード（例: 342076）を入力してください。"
        candidates: dict[str, LocalGovernment] = {}
        digits = str(number)
        if len(digits) <= 6:
            entry = self.registry.get(digits.zfill(6))
            if entry is not None:
                candidates[entry.lg_code] = entry
        if len(digits) <= 5:
            five = digits.zfill(5)
            entry = self.registry.get(five + str(check_digit(five)))
            if entry is not None:
                candidates[entry.lg_code] = entry
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        if len(candidates) > 1:
            return self._ambiguous(digits, list(candidates.values()))
        return self._by_digits(digits, digits)

    @staticmethod
    def _ambiguous(text: str, hits: list[LocalGovernment]) -> str:
        names = {e.name for e in hits}
        prefectures = [e.prefecture for e in hits]
        if len(names) == 1 and len(set(prefectures)) == len(hits):
            where = "と".join(prefectures) if len(prefectures) == 2 else "、".join(prefectures)
            return f"「{text}」は{where}にあります。都道府県名を付けてください（例: {hits[-1].full_name}）。"
        listed = "、".join(e.full_name for e in hits[:6]) + ("…" if len(hits) > 6 else "")
        return (
            f"「{text}」に当てはまる自治体が複数あります（{listed}）。"
            f"都道府県名から正式な名前（例: {hits[-1].full_name}）か、団体コードを入力してください。"
        )


@lru_cache(maxsize=4)
def lg_index(registry: LocalGovernmentRegistry) -> LgIndex:
    """The index of ``registry``, built once per registry."""
    return LgIndex(registry)


def resolve_local_government(registry: LocalGovernmentRegistry, value: Any) -> LocalGovernment | str:
    """What a person wrote for a local government (福山市, 広島県福山市, ふくやま, 34207, 342076)."""
    return lg_index(registry).resolve(value)
