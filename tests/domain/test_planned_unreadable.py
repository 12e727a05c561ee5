"""A planned date the reader could not make sense of is told apart from 未定 written on purpose;
a clear date outside the chosen fiscal year is noticed; contacts' e-mail and telephone are checked
where people type them (and Excel), not in received packages."""

from __future__ import annotations

import pytest

from jcim_desktop.domain.dates import outside_fiscal_year, parse_planned, planned_unreadable
from jcim_desktop.domain.entities import clean, is_email, is_phone
from jcim_desktop.errors import ValidationError


@pytest.mark.parametrize("text", ["ほげほげ", "13月", "R8.2.30", "令和6年2月30日", "7月～5月", "秋頃"])
def test_text_that_reads_as_no_date_is_unreadable(text):
    assert planned_unreadable(text, 2024)
    # It is still kept (as 未定, the whole year) if the person says so: nothing is lost.
    planned = parse_planned(text, 2024)
    assert planned.text == text and planned.precision == "undecided"


@pytest.mark.parametrize("text", ["未定", "時期未定", "調整中", "検討中", "未確定", "決まり次第", "TBD", "",
                                  "  ", "7月頃", "第2四半期", "2024-07-10", "R6.7.1", "通年", "FY2024", "6月上旬～7月中旬"])
def test_undecided_on_purpose_and_readable_dates_are_not(text):
    assert not planned_unreadable(text, 2024)


@pytest.mark.parametrize(("text", "outside"), [
    ("2025-07-10", True),          # a day of FY2025
    ("2024年2月", True),            # February 2024 is in FY2023
    ("2025年3月下旬", False),       # still FY2024
    ("令和6年4月1日", False),
    ("2025年3月～2025年4月", True),  # runs past the end of the year
    ("7月", False),                 # a month without a year is read in the year chosen
    ("FY2025", False),              # a whole year is not a clear date
    ("第2四半期", False),
    ("未定", False),
])
def test_a_clear_date_outside_the_chosen_fiscal_year_is_noticed(text, outside):
    assert outside_fiscal_year(parse_planned(text, 2024), 2024) is outside


@pytest.mark.parametrize("text", ["taro@example.jp", "kasen@city.fukuyama.lg.jp", "taro..yamada.@docomo.ne.jp",
                                  "a+b@example.co.jp"])
def test_email_addresses_as_people_have_them(text):
    assert is_email(text)


@pytest.mark.parametrize("text", ["taro@example", "taro@@example.jp", "ta ro@example.jp", "ｔａｒｏ@example.jp",
                                  "taro＠example.jp", "example.jp", "taro@-example.jp"])
def test_broken_email_addresses(text):
    assert not is_email(text)


@pytest.mark.parametrize("text", ["082-123-4567", "０８２－１２３－４５６７", "(082)123-4567", "082(123)4567",
                                  "0120-123-456", "090-1234-5678", "+81-82-123-4567", "082-123-4567（内線123）",
                                  "082 123 4567", "084-000-0000"])
def test_telephone_numbers_as_people_write_them(text):
    assert is_phone(text)


@pytest.mark.parametrize("text", ["なし", "TEL 082-123-4567", "082-123-4567 taro@example.jp", "12-34", "-",
                                  "082-123-4567-8901-2345-6"])
def test_broken_telephone_numbers(text):
    assert not is_phone(text)


NEED = {"lg_code": "342076", "title": "点検", "facility_types": [], "requirements": "x",
        "received_on": "2024-05-01", "status": "open"}


def _clean(contact: dict[str, str], *, strict: bool = False) -> dict:
    return clean("needs", {**NEED, "contact": contact}, is_known_lg_code=lambda code: True, strict=strict)


def test_typed_or_imported_contacts_are_checked_and_the_message_names_the_field():
    with pytest.raises(ValidationError) as caught:
        _clean({"name": "福山 太郎", "email": "taro@example", "phone": "なし"})
    message = caught.value.errors["contact"]
    assert "メールアドレス「taro@example」の形式が正しくありません" in message
    assert "電話番号「なし」は、市外局番から数字とハイフンで入力してください（例: 082-123-4567）" in message
    assert _clean({"email": "taro@example.jp", "phone": "082-123-4567"})["contact"]["phone"] == "082-123-4567"


def test_a_received_package_keeps_what_earlier_versions_stored():
    """Earlier versions only asked for an @: a package (strict) is not refused for the newer rule."""
    kept = _clean({"email": "taro@example", "phone": "内線のみ 123"}, strict=True)
    assert kept["contact"]["email"] == "taro@example" and kept["contact"]["phone"] == "内線のみ 123"
    with pytest.raises(ValidationError):  # … and what they refused stays refused
        _clean({"email": "taro.example.jp"}, strict=True)
