"""Text normalisation: kana- and width-insensitive search keys and company-name identity keys."""

from __future__ import annotations

import re
import unicodedata

_KATA_TO_HIRA: dict[int, int] = {cp: cp - 0x60 for cp in range(ord("ァ"), ord("ヶ") + 1)}
_KATA_TO_HIRA.update({ord("ヽ"): ord("ゝ"), ord("ヾ"): ord("ゞ")})
# ヶ/ヵ are read as が/か or け/か and written interchangeably with ケ/カ (茅ヶ崎・茅ケ崎),
# so the small forms fold to the full-size ones.
_KATA_TO_HIRA.update({ord("ヵ"): ord("か"), ord("ヶ"): ord("け")})
_KATA_TO_HIRA.update({ord("ゕ"): ord("か"), ord("ゖ"): ord("け")})

# Bank-transfer style names (全銀カナ) have no small kana: ｷﾔﾉﾝ is キヤノン/キャノン.
_SMALL_TO_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")



def _to_hiragana(s: str) -> str:
    return s.translate(_KATA_TO_HIRA)


def normalize_for_search(s: str) -> str:
    """Key for incremental search: NFKC, katakana → hiragana, casefold, no whitespace."""
    s = unicodedata.normalize("NFKC", s)
    # str.split() drops exactly the whitespace \s would, and is faster than re.sub.
    return "".join(_to_hiragana(s).casefold().split())


# Markers are matched after NFKC and katakana → hiragana, so write kana markers in hiragana.
_JA_MARKERS: tuple[str, ...] = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "npo法人",
    "国立大学法人",
    "学校法人",
    "独立行政法人",
    "地方独立行政法人",
    "国立研究開発法人",
    "社会福祉法人",
    "かぶしきがいしや",
    "かぶしきがいしゃ",
    "ゆうげんがいしや",
    "ゆうげんがいしゃ",
    "ごうどうがいしや",
    "ごうどうがいしゃ",
)
_PAREN_MARKERS: tuple[str, ...] = (
    "株",
    "有",
    "同",
    "社",
    "財",
    "一社",
    "一財",
    "公社",
    "公財",
    "特非",
    "npo",
)
_LATIN_MARKERS: tuple[str, ...] = (
    r"k\.?\s*k\.?",
    r"co\.?",
    r"ltd\.?",
    r"inc\.?",
    r"corp\.?",
    r"corporation",
    r"limited",
    r"llc\.?",
)
# 全銀カナ abbreviations: ｶ)ｼﾞｬﾊﾟﾝ = 株式会社ジャパン, ｼﾞｬﾊﾟﾝ(ｶ = ジャパン株式会社.
_ZENGIN_ABBREVS: tuple[str, ...] = ("か", "ゆ", "ど")

_SEP = r"[\s,.・\-‐‑–—―−_/]"
# A Latin marker must stand as a word: "Inc" is a marker, the end of "Zinc" is not.
_LATIN_ALT = "|".join(_LATIN_MARKERS)
_JA_ALT = "|".join(re.escape(m) for m in sorted(_JA_MARKERS, key=len, reverse=True))
_PAREN_ALT = "|".join(re.escape(m) for m in sorted(_PAREN_MARKERS, key=len, reverse=True))
_ZENGIN_ALT = "|".join(_ZENGIN_ABBREVS)

_PREFIX_RE = re.compile(
    rf"^{_SEP}*(?:{_JA_ALT}|\(\s*(?:{_PAREN_ALT})\s*\)|(?:{_ZENGIN_ALT})\)"
    rf"|(?:{_LATIN_ALT})(?=$|[\s,.()]))",
    re.IGNORECASE,
)
_SUFFIX_RE = re.compile(
    rf"(?:{_JA_ALT}|\(\s*(?:{_PAREN_ALT})\s*\)|\((?:{_ZENGIN_ALT})"
    rf"|(?:^|(?<=[\s,.()]))(?:{_LATIN_ALT})){_SEP}*$",
    re.IGNORECASE,
)
_EDGE_SEP_RE = re.compile(rf"^{_SEP}+|{_SEP}+$")


def _strip_corporate_markers(s: str) -> str:
    while True:
        stripped = _EDGE_SEP_RE.sub("", s)
        stripped = _PREFIX_RE.sub("", stripped, count=1)
        stripped = _SUFFIX_RE.sub("", stripped, count=1)
        if stripped == s:
            return s
        s = stripped


def _drop_punctuation(s: str) -> str:
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith(("P", "Z")))


def normalize_company(name: str) -> str:
    """Key under which spellings of one company coincide (株式会社〇〇, ㈱〇〇, ｼﾞｬﾊﾟﾝ…株式会社)."""
    s = _to_hiragana(unicodedata.normalize("NFKC", name)).strip()
    core = _strip_corporate_markers(s)
    # A name that is nothing but a marker keeps it, so that 株式会社 and 有限会社 stay apart.
    if not _drop_punctuation(normalize_for_search(core)):
        core = s
    key = _drop_punctuation(normalize_for_search(core))
    return key.translate(_SMALL_TO_LARGE)


def same_company(a: str, b: str) -> bool:
    """Whether two company names denote the same company (blank names never match)."""
    key_a = normalize_company(a)
    return bool(key_a) and key_a == normalize_company(b)
