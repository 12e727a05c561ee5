"""Tests for search and company-name normalisation."""

from __future__ import annotations

import pytest

from jcim_desktop.domain.text import normalize_company, normalize_for_search, same_company


@pytest.mark.parametrize("text", ["フクヤマ", "ﾌｸﾔﾏ", "ふくやま", " ふく　やま ", "フクヤマ\t"])
def test_search_key_ignores_kana_type_width_and_spaces(text: str) -> None:
    assert normalize_for_search(text) == "ふくやま"


def test_search_key_folds_full_width_ascii_and_case() -> None:
    assert normalize_for_search("ＡＢＣ") == "abc"
    assert normalize_for_search("Ａｂｃ １２３") == "abc123"


def test_search_key_keeps_long_vowel_mark() -> None:
    assert normalize_for_search("ｲﾝﾌﾗ・メンテナンス") == "いんふら・めんてなんす"
    assert normalize_for_search("センター") == "せんたー"


def test_search_key_folds_small_ke_variants() -> None:
    assert normalize_for_search("茅ヶ崎") == normalize_for_search("茅ケ崎")


JAPAN_INFRA = [
    "株式会社ジャパンインフラ",
    "（株）ジャパンインフラ",
    "(株)ジャパンインフラ",
    "㈱ジャパンインフラ",
    "㍿ジャパンインフラ",
    "ジャパンインフラ株式会社",
    "ジャパンインフラ（株）",
    "ｼﾞｬﾊﾟﾝｲﾝﾌﾗ株式会社",
    "ｶﾌﾞｼｷｶﾞｲｼｬｼﾞｬﾊﾟﾝｲﾝﾌﾗ",
    "ｶﾌﾞｼｷｶﾞｲｼﾔ ｼﾞｬﾊﾟﾝｲﾝﾌﾗ",
    "ｶ)ｼﾞｬﾊﾟﾝｲﾝﾌﾗ",
    "株式会社　ジャパン・インフラ",
    "ジャパン-インフラ 株式会社",
]


@pytest.mark.parametrize("name", JAPAN_INFRA)
def test_company_spellings_share_one_key(name: str) -> None:
    assert normalize_company(name) == normalize_company("株式会社ジャパンインフラ")
    assert same_company(name, "ジャパンインフラ")


@pytest.mark.parametrize(
    "name",
    [
        "Japan Infra Co., Ltd.",
        "JAPAN INFRA CO.,LTD",
        "Japan Infra Inc.",
        "japan infra inc",
        "Japan Infra Corporation",
        "K.K. Japan Infra",
        "Ｊａｐａｎ Ｉｎｆｒａ",
    ],
)
def test_latin_corporate_suffixes_are_stripped(name: str) -> None:
    assert normalize_company(name) == "japaninfra"


@pytest.mark.parametrize(
    ("marked", "bare"),
    [
        ("有限会社山田建設", "山田建設"),
        ("㈲山田建設", "山田建設"),
        ("合同会社ブリッジ", "ブリッジ"),
        ("一般社団法人 日本橋梁協会", "日本橋梁協会"),
        ("公益財団法人道路保全機構", "道路保全機構"),
        ("特定非営利活動法人 橋守", "橋守"),
        ("NPO法人橋守", "橋守"),
        ("国立大学法人東京大学", "東京大学"),
        ("学校法人 土木学園", "土木学園"),
        ("(社)土木協会", "土木協会"),
        ("(財)道路財団", "道路財団"),
        ("合資会社 丸々", "丸々"),
        ("合名会社丸々", "丸々"),
    ],
)
def test_japanese_corporate_forms_are_stripped(marked: str, bare: str) -> None:
    assert same_company(marked, bare)


def test_different_companies_stay_different() -> None:
    assert not same_company("株式会社ジャパンインフラ", "株式会社ジャパンインフラ技研")
    assert not same_company("㈱山田建設", "㈱山本建設")
    assert normalize_company("株式会社ジャパンインフラ") != normalize_company("日本インフラ株式会社")


def test_latin_marker_must_be_a_whole_word() -> None:
    assert normalize_company("Zinc") == "zinc"
    assert normalize_company("Costco") == "costco"


def test_bare_markers_and_blanks() -> None:
    assert not same_company("株式会社", "有限会社")
    assert not same_company("", "")
    assert not same_company("  ", "株式会社")
