"""Tests for local-government codes and the registry built from the master CSVs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from jcim_desktop.domain import lgcodes
from jcim_desktop.domain.lgcodes import (
    LocalGovernment,
    LocalGovernmentRegistry,
    check_digit,
    default_registry,
    is_valid_lg_code,
    lg_code_error,
)
from jcim_desktop.paths import resource_path


@pytest.fixture(scope="module")
def registry() -> LocalGovernmentRegistry:
    return default_registry()


def test_check_digit_known_codes() -> None:
    assert check_digit("34207") == 6
    assert check_digit("13101") == 6  # 東京都千代田区 131016
    assert check_digit("01100") == 2  # 北海道札幌市 011002
    assert check_digit("34000") == 6
    assert is_valid_lg_code("342076")
    assert is_valid_lg_code("340006")


@pytest.mark.parametrize(
    "bad", ["34207", "3420761", "34207a", "３４２０７６", " 342076", "", None, 342076, b"342076"]
)
def test_malformed_codes_are_refused(bad: object) -> None:
    assert not is_valid_lg_code(bad)
    error = lg_code_error(bad)
    assert error is not None and "6桁の数字" in error


def test_wrong_check_digit_message_names_the_right_code() -> None:
    error = lg_code_error("342079")
    assert error is not None
    assert "検査数字" in error and "342076" in error and "342079" in error
    assert lg_code_error("342076") is None


def test_all_master_codes_validate(registry: LocalGovernmentRegistry) -> None:
    entries = registry.all()
    assert len(entries) == 1788
    assert all(is_valid_lg_code(e.lg_code) for e in entries)


def test_every_changed_last_digit_is_refused(registry: LocalGovernmentRegistry) -> None:
    for entry in registry.all():
        for digit in "0123456789":
            if digit != entry.lg_code[5]:
                assert not is_valid_lg_code(entry.lg_code[:5] + digit), entry


def test_counts(registry: LocalGovernmentRegistry) -> None:
    assert len(registry.municipalities()) == 1741
    assert len(registry.prefectures()) == 47
    kinds = Counter(e.kind for e in registry.municipalities())
    assert kinds == {"city": 792, "town": 743, "village": 183, "special_ward": 23}
    assert sum(len(registry.municipalities_of(p.pref_code)) for p in registry.prefectures()) == 1741


def test_entries(registry: LocalGovernmentRegistry) -> None:
    fukuyama = registry.get("342076")
    assert fukuyama is not None
    assert fukuyama == LocalGovernment("342076", "34", "広島県", "福山市", "フクヤマシ", "city")
    assert fukuyama.full_name == "広島県福山市"
    assert fukuyama.kind_label == "市"
    assert not fukuyama.is_prefecture
    hiroshima = registry.get("340006")
    assert hiroshima is not None and hiroshima.is_prefecture
    assert hiroshima.full_name == "広島県" and hiroshima.kind_label == "都道府県"
    assert "342076" in registry and "342079" not in registry and 342076 not in registry
    assert registry.get("999999") is None


def test_blocks(registry: LocalGovernmentRegistry) -> None:
    assert registry.block_of_prefecture("19") == "kanto"  # 山梨
    assert registry.block_of_prefecture("20") == "kanto"  # 長野
    assert registry.block_of_prefecture("18") == "kinki"  # 福井
    assert registry.block_of_prefecture("15") == "hokuriku"  # 新潟
    assert registry.block_of("342076") == "chugoku"
    kanto = {p.name for p in registry.prefectures_of_block("kanto")}
    assert {"山梨県", "長野県", "東京都"} <= kanto
    with pytest.raises(KeyError):
        registry.block_of_prefecture("48")


@pytest.mark.parametrize(
    "query", ["福山", "福山市", "ふくやま", "フクヤマ", "ﾌｸﾔﾏ", "ふくやまし", "広島県福山", "34207", "342076"]
)
def test_search_finds_fukuyama_first(registry: LocalGovernmentRegistry, query: str) -> None:
    results = registry.search(query)
    assert results and results[0].lg_code == "342076"


def test_search_prefecture_prefix_lists_prefecture_first(registry: LocalGovernmentRegistry) -> None:
    results = registry.search("34", limit=100)
    assert results[0].lg_code == "340006"
    assert len(results) == 1 + len(registry.municipalities_of("34"))
    assert all(e.pref_code == "34" for e in results)


def test_search_ranking_and_limits(registry: LocalGovernmentRegistry) -> None:
    assert registry.search("") == []
    assert registry.search("   ") == []
    assert registry.search("福山", limit=0) == []
    assert len(registry.search("や", limit=7)) == 7
    # Exact names first, ties in code order: 府中市 (東京都) before 府中市 (広島県).
    assert [e.lg_code for e in registry.search("府中")[:3]] == ["132063", "342084", "343021"]
    # A name prefix beats a substring: 広島市 before 東広島市.
    names = [e.name for e in registry.search("広島", limit=100)]
    assert names.index("広島市") < names.index("東広島市")


def test_a_search_normalises_the_query_alone(registry: LocalGovernmentRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    # What keeps search fast enough for every keystroke (bench/search.py times it): the names
    # and readings were normalised once, when the registry was built; a search does the query.
    normalised: list[str] = []
    real = lgcodes.normalize_for_search
    monkeypatch.setattr(lgcodes, "normalize_for_search", lambda text: normalised.append(text) or real(text))
    for query in ["や", "福山", "ﾌｸﾔﾏ", "3", "zzz", "広島県福"]:
        normalised.clear()
        registry.search(query)
        assert normalised == [query]
    assert [e.name for e in registry.search("ﾌｸﾔﾏ")][:1] == ["福山市"]  # the keys it compares with are normalised


def test_default_registry_is_cached() -> None:
    assert default_registry() is default_registry()


def _masters(tmp_path: Path, edited: str = "", old: str = "", new: str = "") -> tuple[Path, Path]:
    """Copies of the master CSVs (municipalities, prefectures), ``old`` replaced by ``new`` in ``edited``."""
    copies = []
    for name in ("municipalities.csv", "prefectures.csv"):
        text = resource_path(name).read_text(encoding="utf-8")
        if name == edited:
            assert old in text, old  # the edit must change something
            text = text.replace(old, new)
        copy = tmp_path / name
        copy.write_text(text, encoding="utf-8")
        copies.append(copy)
    return copies[0], copies[1]


@pytest.mark.parametrize(
    ("edited", "old", "new", "message"),
    [
        ("municipalities.csv", "342076,", "342079,", r"municipalities\.csv .*342079"),  # a wrong check digit
        ("prefectures.csv", "340006", "340007", r"prefectures\.csv"),  # a broken prefecture row
    ],
    ids=["wrong-check-digit", "broken-prefecture-row"],
)
def test_load_refuses_a_broken_master(tmp_path: Path, edited: str, old: str, new: str, message: str) -> None:
    muni, prefs = _masters(tmp_path, edited, old, new)
    with pytest.raises(ValueError, match=message):
        LocalGovernmentRegistry.load(muni, prefs)


def test_the_unedited_masters_load(tmp_path: Path) -> None:
    assert len(LocalGovernmentRegistry.load(*_masters(tmp_path)).all()) == 1788


def test_block_membership_is_data(tmp_path: Path) -> None:
    muni, prefs = _masters(tmp_path, "prefectures.csv", "山梨県,ヤマナシケン,kanto", "山梨県,ヤマナシケン,chubu")
    assert LocalGovernmentRegistry.load(muni, prefs).block_of_prefecture("19") == "chubu"
