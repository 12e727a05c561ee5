"""Tests of the entity schemas and of ``clean``: normalisation and every error message."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from jcim_desktop.domain.entities import (
    ENTITIES,
    ENTITY_LABELS,
    FIELDS,
    KPI_CODES,
    KPI_LABELS,
    SECRETARIAT_ONLY,
    clean,
    field_label,
)
from jcim_desktop.errors import ValidationError

KNOWN = {"342076", "131016", "011002", "330001"}
U1 = "0b6a2f0e-3a4c-4c55-9a53-4a0b9f4f6c11"
U2 = "5c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
U3 = "9e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"
PLANNED = {"text": "第2四半期", "start": "2024-07-01", "end": "2024-09-30", "precision": "quarter", "tentative": False}


def is_known(code: str) -> bool:
    return code in KNOWN


def ok(entity: str, data: Mapping[str, object], **kw: Any) -> dict:
    return clean(entity, data, is_known_lg_code=is_known, **kw)


def errors(entity: str, data: Mapping[str, object], **kw: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        clean(entity, data, is_known_lg_code=is_known, **kw)
    return info.value.errors


MINIMAL: dict[str, dict[str, object]] = {
    "events": {"title": "中国フォーラム", "event_type": "forum", "planned": PLANNED, "status": "planned"},
    "pitch_presentations": {"event_id": U1, "seed_id": U2},
    "needs": {
        "lg_code": "342076",
        "title": "河川堤防の点検",
        "requirements": "車両の入れない堤防を安く点検したい",
        "received_on": "2024-06-01",
        "status": "open",
    },
    "seeds": {"company": "株式会社テスト", "tech_name": "SAR衛星変位監視", "summary": "衛星で変位を測る"},
    "matchings": {"need_id": U1, "seed_id": U2},
    "trials": {"title": "堤防点検の現場試行", "lg_code": "342076", "planned": PLANNED, "status": "planned"},
    "support_activities": {"kind": "visit", "on": "2024-07-10", "lg_code": "131016"},
    "municipality_status": {"lg_code": "342076", "admin_member": True, "mayors_council": False, "as_of": "2024-03-18"},
    "kpi_targets": {"fiscal_year": 2024, "kpi": "forums_held", "target": 50},
    "closed_tallies": {"fiscal_year": 2023, "closed_at": "2024-05-31T10:00:00+09:00", "closed_by": "事務局 山田",
                       "source": "published", "kpis": {"matching_total": {"total": 184}}},
    "trusted_keys": {"public_key": "A" * 43 + "=", "orgs": ["kanto"], "label": "関東フォーラム 2台目"},
}

FULL: dict[str, dict[str, object]] = {
    "events": {
        **MINIMAL["events"],
        "status": "held",
        "held_from": "2024-07-10",
        "held_to": "2024-07-11",
        "venue": "広島市",
        "description": "基調講演とパネル討論",
        "series_no": 3,
        "lg_codes": ["342076", "131016"],
        "participants": 120,
        "counts_as_forum": True,
        "co_hosts": ["kanto", "innovative_tech"],
    },
    "pitch_presentations": {"event_id": U1, "seed_id": U2, "need_id": U3, "order": 2, "note": "質疑多数"},
    "needs": {
        **MINIMAL["needs"],
        "facility_types": ["river", "bridge"],
        "survey": "第6回ニーズ調査",
        "contact": {"name": "山田太郎", "department": "土木課", "email": "yamada@example.jp", "phone": "082-000-0000"},
    },
    "seeds": {
        **MINIMAL["seeds"],
        "facility_types": ["road"],
        "netis_no": "CG-240001-A",
        "registered_on": "2024-05-01",
        "contact": {"name": "佐藤", "department": None, "email": None, "phone": None},
    },
    "matchings": {
        "need_id": U1,
        "seed_id": U2,
        "pitch_event_id": U3,
        "stages": [
            {"stage": "considered", "on": "2024-05-01"},
            {"stage": "established", "on": "2024-06-01", "note": "協定締結"},
        ],
    },
    "trials": {
        **MINIMAL["trials"],
        "series_no": 1,
        "matching_id": U1,
        "need_id": U2,
        "seed_id": U3,
        "pitch_event_id": U1,
        "status": "held",
        "held_from": "2024-08-01",
        "held_to": "2024-08-31",
        "result": "良好",
    },
    "support_activities": {"kind": "consultation", "on": "2024-07-10", "lg_code": "131016", "country": "VN", "note": "よろず相談"},
    "municipality_status": MINIMAL["municipality_status"],
    "kpi_targets": {"fiscal_year": 2024, "kpi": "mayors_council_rate", "target": 0.7},
    "closed_tallies": {**MINIMAL["closed_tallies"], "note": "令和5年度 事業報告より"},
    "trusted_keys": {**MINIMAL["trusted_keys"], "orgs": ["all"], "revoked_on": "2026-12-01"},
}


def test_catalogue() -> None:
    assert ENTITIES == tuple(FIELDS)
    assert set(ENTITY_LABELS) == set(ENTITIES)
    assert SECRETARIAT_ONLY == {"municipality_status", "kpi_targets", "closed_tallies", "trusted_keys"}
    assert set(KPI_LABELS) == set(KPI_CODES) and len(KPI_CODES) == 12
    assert field_label("events", "title") == "活動・行事名"
    assert field_label("needs", "title") == "技術テーマ"
    assert field_label("needs", "requirements") == "求める内容・条件"
    assert field_label("seeds", "company") == "企業等名称"
    assert field_label("seeds", "tech_name") == "技術名称"
    assert field_label("seeds", "summary") == "技術の概要"
    assert field_label("needs", "lg_code") == "自治体"
    assert field_label("events", "planned") == "開催予定日"
    assert field_label("events", "held_from") == "実施日（開始）"
    assert field_label("events", "nonsense") == "nonsense"


@pytest.mark.parametrize("entity", ENTITIES)
def test_minimal_examples(entity: str) -> None:
    result = ok(entity, MINIMAL[entity])
    assert list(result) == [spec.name for spec in FIELDS[entity]]
    for spec in FIELDS[entity]:
        if spec.name not in MINIMAL[entity]:
            if spec.type in ("lg_codes", "facility_types", "stages", "orgs", "trust_orgs"):
                assert result[spec.name] == []
            elif spec.name == "counts_as_forum":
                assert result[spec.name] is False
            else:
                assert result[spec.name] is None, spec.name


@pytest.mark.parametrize("entity", ENTITIES)
def test_full_examples_are_kept(entity: str) -> None:
    assert ok(entity, FULL[entity]) == {spec.name: FULL[entity].get(spec.name) for spec in FIELDS[entity]}


def test_every_field_in_minimal_or_full() -> None:
    for entity in ENTITIES:
        assert set(FULL[entity]) == {spec.name for spec in FIELDS[entity]} or entity == "municipality_status"


def test_optional_null_and_absent_are_the_same() -> None:
    data = {**MINIMAL["events"], "venue": None, "held_from": None, "description": "  "}
    assert ok("events", data) == ok("events", MINIMAL["events"])


def test_normalisation() -> None:
    data = {
        **MINIMAL["events"],
        "title": "  中国フォーラム　",
        "held_from": date(2024, 7, 10),
        "status": "held",
        "lg_codes": ["342076", "342076", "１３１０１６", ""],
        "counts_as_forum": 1,
        "participants": "80",
    }
    result = ok("events", data)
    assert result["title"] == "中国フォーラム"
    assert result["held_from"] == "2024-07-10"
    assert result["lg_codes"] == ["342076", "131016"]
    assert result["counts_as_forum"] is True
    assert result["participants"] == 80


def test_ids_normalised_to_lowercase_canonical() -> None:
    result = ok("matchings", {"need_id": U1.upper(), "seed_id": uuid.UUID(U2), "pitch_event_id": U3.replace("-", "")})
    assert (result["need_id"], result["seed_id"], result["pitch_event_id"]) == (U1, U2, U3)


def test_formula_like_strings_are_kept() -> None:
    data = {**MINIMAL["seeds"], "company": "=HYPERLINK(\"http://x\")", "summary": "+1+2", "tech_name": "@SUM(A1)"}
    result = ok("seeds", data)
    assert result["company"] == "=HYPERLINK(\"http://x\")"
    assert result["summary"] == "+1+2"
    assert result["tech_name"] == "@SUM(A1)"


def test_facility_types_deduped_in_order() -> None:
    result = ok("needs", {**MINIMAL["needs"], "facility_types": ["river", "road", "river"]})
    assert result["facility_types"] == ["river", "road"]


def test_contact_normalised() -> None:
    result = ok("needs", {**MINIMAL["needs"], "contact": {"name": " 山田 ", "email": ""}})
    assert result["contact"] == {"name": "山田", "department": None, "email": None, "phone": None}
    assert ok("needs", {**MINIMAL["needs"], "contact": {}})["contact"] is None


def test_country_uppercased() -> None:
    result = ok("support_activities", {"kind": "visit", "on": "2024-07-10", "country": "vn"})
    assert result["country"] == "VN" and result["lg_code"] is None


def test_kpi_rate_and_count() -> None:
    assert ok("kpi_targets", {"fiscal_year": 2024, "kpi": "admin_member_rate", "target": 1})["target"] == 1.0
    assert ok("kpi_targets", {"fiscal_year": "2024", "kpi": "workshops", "target": 5.0})["target"] == 5


# --- errors ---------------------------------------------------------------------------------


def test_required_fields_all_reported_together() -> None:
    assert errors("events", {}) == {
        "title": "活動・行事名を入力してください。",
        "event_type": "種別を選んでください。",
        "planned": "開催予定日を入力してください。",
        "status": "状況を選んでください。",
    }
    found = errors("needs", {"title": "  "})
    assert found["title"] == "技術テーマを入力してください。"
    assert found["lg_code"] == "自治体を選んでください。"
    assert found["requirements"] == "求める内容・条件を入力してください。"
    assert found["received_on"] == "受付日を入力してください。"
    assert found["status"] == "状況を選んでください。"
    found = errors("seeds", {})
    assert found == {
        "company": "企業等名称を入力してください。",
        "tech_name": "技術名称を入力してください。",
        "summary": "技術の概要を入力してください。",
    }
    found = errors("municipality_status", {})
    assert found["admin_member"] == "行政会員を選んでください。"
    assert found["as_of"] == "基準日を入力してください。"


def test_unknown_field() -> None:
    assert errors("events", {**MINIMAL["events"], "colour": "red"}) == {"colour": "不明な項目です。"}


def test_unknown_lg_code_and_bad_format() -> None:
    found = errors("needs", {**MINIMAL["needs"], "lg_code": "342070"})
    # A wrong check digit names the code that was probably meant.
    assert found == {"lg_code": "自治体コード 342070: 検査数字が一致しません（正しくは 342076 です。342070 ではありません）"}
    found = errors("needs", {**MINIMAL["needs"], "lg_code": "999997"})  # check digit right, no such body
    assert found == {"lg_code": "自治体コード 999997 は存在しません。自治体を一覧から選んでください。"}
    found = errors("needs", {**MINIMAL["needs"], "lg_code": 342076})
    assert found["lg_code"].startswith("自治体コード「342076」は6桁の数字ではありません。")
    found = errors("events", {**MINIMAL["events"], "lg_codes": ["342070", "12", "342076"]})
    assert found["lg_codes"].split("\n") == [
        "自治体コード 342070: 検査数字が一致しません（正しくは 342076 です。342070 ではありません）",
        "自治体コード「12」は6桁の数字ではありません。自治体を一覧から選んでください。",
    ]
    assert "リスト" in errors("events", {**MINIMAL["events"], "lg_codes": "342076"})["lg_codes"]
    found = errors("municipality_status", {**MINIMAL["municipality_status"], "lg_code": "999997"})
    assert found == {"lg_code": "自治体コード 999997 は存在しません。自治体を一覧から選んでください。"}


def test_held_dates() -> None:
    found = errors("events", {**MINIMAL["events"], "held_from": "2024-07-11", "held_to": "2024-07-10"})
    assert found == {"held_to": "実施日（終了）が実施日（開始）より前です。"}
    found = errors("events", {**MINIMAL["events"], "status": "held"})
    assert found == {"held_from": "実施済にするには実施日を入力してください。"}
    found = errors("trials", {**MINIMAL["trials"], "status": "held"})
    assert found == {"held_from": "実施済にするには実施日を入力してください。"}
    found = errors("trials", {**MINIMAL["trials"], "held_to": "2024-07-10"})
    assert found == {"held_from": "実施日（終了）を入れるときは実施日（開始）も入力してください。"}
    found = errors("trials", {**MINIMAL["trials"], "held_from": "2024-08-02", "held_to": "2024-08-01"})
    assert found == {"held_to": "実施日（終了）が実施日（開始）より前です。"}


def test_bad_dates() -> None:
    found = errors("needs", {**MINIMAL["needs"], "received_on": "2024/06/01"})
    assert found["received_on"].startswith("受付日の形式が正しくありません。")
    found = errors("needs", {**MINIMAL["needs"], "received_on": "2024-02-30"})
    assert found["received_on"] == "受付日の 2024-02-30 は存在しない日付です。"
    found = errors("events", {**MINIMAL["events"], "held_from": 20240701})
    assert found["held_from"].startswith("実施日（開始）の形式が正しくありません。")


def test_enums() -> None:
    found = errors("events", {**MINIMAL["events"], "event_type": "party", "status": "done"})
    assert found["event_type"].startswith("種別「party」は選べません。一覧から選んでください（フォーラム・シンポジウム、")
    assert found["status"].startswith("状況「done」は選べません。")
    found = errors("needs", {**MINIMAL["needs"], "status": "closed", "facility_types": ["river", "xxx"]})
    assert found["status"].startswith("状況「closed」は選べません。")
    assert found["facility_types"].startswith("施設種別「xxx」は選べません。一覧から選んでください（道路、")
    found = errors("seeds", {**MINIMAL["seeds"], "facility_types": "road"})
    assert found["facility_types"] == "施設種別はリストで指定してください。"
    found = errors("support_activities", {"kind": "party", "on": "2024-07-10", "lg_code": "131016"})
    assert found["kind"].startswith("支援の種類「party」は選べません。")


def test_planned_shape_checked_without_parser() -> None:
    bad = {"text": "第2四半期", "start": "2024-09-30", "end": "2024-07-01", "precision": "season", "tentative": "no"}
    message = errors("events", {**MINIMAL["events"], "planned": bad})["planned"]
    assert message.startswith("開催予定日の形式が正しくありません。")
    assert "終了 2024-07-01 が開始 2024-09-30 より前です。" in message
    assert "精度「season」は選べません" in message
    assert "true か false" in message
    assert errors("events", {**MINIMAL["events"], "planned": "第2四半期"}) == {
        "planned": "開催予定日の形式が正しくありません。"
    }
    message = errors("events", {**MINIMAL["events"], "planned": {**PLANNED, "start": None}})["planned"]
    assert "両方" in message
    message = errors("events", {**MINIMAL["events"], "planned": {**PLANNED, "text": ""}})["planned"]
    assert "予定の書き方" in message
    message = errors("events", {**MINIMAL["events"], "planned": {**PLANNED, "when": 1}})["planned"]
    assert "不明な項目「when」" in message
    message = errors("events", {**MINIMAL["events"], "planned": {**PLANNED, "start": "R6.7.1"}})["planned"]
    assert "開始の形式が正しくありません" in message


def test_planned_normalised() -> None:
    planned = {"text": " 調整中 ", "start": date(2024, 4, 1), "end": "2025-03-31", "precision": "undecided"}
    result = ok("events", {**MINIMAL["events"], "planned": planned})["planned"]
    assert result == {"text": " 調整中 ", "start": "2024-04-01", "end": "2025-03-31",
                      "precision": "undecided", "tentative": False}
    undecided = {"text": "未定", "start": None, "end": None, "precision": "undecided", "tentative": True}
    assert ok("events", {**MINIMAL["events"], "planned": undecided})["planned"] == undecided


class _Planned:
    def __init__(self, data: Mapping) -> None:
        if data.get("text") == "bad":
            raise ValueError("開始が終了より後です。")
        self.text = data["text"]
        self.start = date.fromisoformat(data["start"])
        self.end = date.fromisoformat(data["end"])
        self.precision = data["precision"]
        self.tentative = data["tentative"]


def test_planned_with_parser() -> None:
    result = ok("events", MINIMAL["events"], parse_planned_dict=_Planned)["planned"]
    assert result == PLANNED
    found = errors("events", {**MINIMAL["events"], "planned": {**PLANNED, "text": "bad"}}, parse_planned_dict=_Planned)
    assert found == {"planned": "開催予定日の形式が正しくありません。開始が終了より後です。"}


def test_support_needs_lg_code_or_country() -> None:
    found = errors("support_activities", {"kind": "visit", "on": "2024-07-10"})
    assert found == {"lg_code": "自治体か国・地域のどちらかを入力してください。"}
    found = errors("support_activities", {"kind": "visit", "on": "2024-07-10", "country": "VNM"})
    assert found["country"].startswith("国・地域「VNM」は ISO 3166-1 の英字2文字の国コード")


def test_matching_stages_errors_joined() -> None:
    stages = [{"stage": "established", "on": "2024-06-01"}, {"stage": "implemented", "on": "2024-05-01"}]
    found = errors("matchings", {**MINIMAL["matchings"], "stages": stages})
    assert found["stages"].split("\n") == [
        "1番目の段階「マッチング成立」から始めることはできません。最初の段階は「マッチング検討」です。",
        "2番目の段階の日付 2024-05-01 が前の段階 2024-06-01 より前です。",
    ]
    found = errors("matchings", {**MINIMAL["matchings"], "stages": [{"stage": "trial", "on": "2024-06-01"}]})
    assert found["stages"].startswith("1番目の段階「trial」は選べません。")
    found = errors("matchings", {**MINIMAL["matchings"], "stages": "considered"})
    assert found["stages"].startswith("段階の一覧はリスト")


def test_bad_ids() -> None:
    found = errors("matchings", {"need_id": "abc", "seed_id": 12})
    assert found == {
        "need_id": "自治体ニーズのID「abc」の形式が正しくありません。一覧から選び直してください。",
        "seed_id": "シーズ（技術）のID「12」の形式が正しくありません。一覧から選び直してください。",
    }
    found = errors("pitch_presentations", {"event_id": U1})
    assert found == {"seed_id": "シーズ（技術）を選んでください。"}


def test_contact_errors() -> None:
    contact = {"name": "山田", "email": "yamada.example.jp", "fax": "000", "phone": 82}
    found = errors("needs", {**MINIMAL["needs"], "contact": contact})["contact"].split("\n")
    assert "担当者連絡先に不明な項目「fax」があります。" in found
    assert "担当者連絡先の電話番号は文字で入力してください。" in found
    assert "担当者連絡先のメールアドレス「yamada.example.jp」に @ がありません。正しく入力してください。" in found
    assert errors("seeds", {**MINIMAL["seeds"], "contact": "山田"}) == {"contact": "担当者連絡先の形式が正しくありません。"}


def test_numbers_and_bools() -> None:
    found = errors("events", {**MINIMAL["events"], "series_no": 0, "participants": -1, "counts_as_forum": "yes"})
    assert found == {
        "series_no": "開催回は1以上の整数で入力してください。",
        "participants": "参加者数は0以上の整数で入力してください。",
        "counts_as_forum": "フォーラム実施数に数えるは「はい」か「いいえ」で指定してください。",
    }
    found = errors("pitch_presentations", {**MINIMAL["pitch_presentations"], "order": 1.5})
    assert found == {"order": "発表順は1以上の整数で入力してください。"}


def test_kpi_target_errors() -> None:
    found = errors("kpi_targets", {"fiscal_year": 1999, "kpi": "happiness", "target": -1})
    assert found["fiscal_year"] == "年度は2000～2100の西暦で入力してください（令和6年度なら 2024）。"
    assert found["kpi"].startswith("KPI項目「happiness」は選べません。")
    assert found["target"] == "目標値は0以上の数で入力してください。"
    found = errors("kpi_targets", {"fiscal_year": 2024, "kpi": "mayors_council_rate", "target": 70})
    assert found == {"target": "市区町村長会議への参画率の目標値は割合（0～1）で入力してください。70%なら 0.7 です。"}
    found = errors("kpi_targets", {"fiscal_year": 2024, "kpi": "forums_held", "target": 2.5})
    assert found == {"target": "フォーラム実施数の目標値は件数なので整数で入力してください。"}
    found = errors("kpi_targets", {"fiscal_year": "R6", "kpi": "forums_held", "target": float("nan")})
    assert set(found) == {"fiscal_year", "target"}


def test_wrong_types_for_text() -> None:
    found = errors("seeds", {**MINIMAL["seeds"], "company": 123})
    assert found == {"company": "企業等名称は文字で入力してください。"}


def test_unknown_entity_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        clean("widgets", {}, is_known_lg_code=is_known)


def test_validation_error_message_lists_fields() -> None:
    with pytest.raises(ValidationError) as info:
        clean("events", {}, is_known_lg_code=is_known)
    assert info.value.message.startswith("入力内容に誤りがあります。")


@pytest.mark.parametrize("bad", ["中国\x00フォーラム", "壊れた\ud800文字", "x" * 100_001])
def test_text_that_could_not_travel_in_a_package_is_refused_at_entry(bad):
    found = errors("events", {"title": "総会", "event_type": "forum", "status": "planned",
                              "planned": {"text": "6月", "start": "2024-06-01", "end": "2024-06-30",
                                          "precision": "month", "tentative": False},
                              "lg_codes": [], "description": bad})
    assert set(found) == {"description"} and found["description"].startswith("内容")
    found = errors("needs", {"lg_code": "342076", "title": "点検", "facility_types": [], "requirements": "x",
                             "received_on": "2024-05-10", "status": "open", "contact": {"name": bad}})
    assert set(found) == {"contact"}


def test_co_hosts_are_org_codes() -> None:
    problems = errors("events", {**MINIMAL["events"], "co_hosts": ["kanto", "tokyo"]})
    assert "tokyo" in problems["co_hosts"]
    assert ok("events", {**MINIMAL["events"], "co_hosts": ["kanto", "kanto"]})["co_hosts"] == ["kanto"]


def test_a_closed_tally_of_the_app_names_every_kpi() -> None:
    figures = {code: {"total": 1} for code in KPI_CODES}
    data = {**MINIMAL["closed_tallies"], "source": "app", "kpis": figures}
    assert ok("closed_tallies", data)["kpis"] == figures
    problems = errors("closed_tallies", {**data, "kpis": {"forums_held": {"total": 3}}})
    assert "matching_total" in problems["kpis"]
    problems = errors("closed_tallies", {**MINIMAL["closed_tallies"], "kpis": {"forums_held": {"total": -1}}})
    assert "forums_held" in problems["kpis"]
    problems = errors("closed_tallies", {**MINIMAL["closed_tallies"], "closed_at": "昨日"})
    assert "確定日時" in problems["closed_at"]


def test_a_registered_key_is_a_32_byte_key_for_named_orgs_or_all() -> None:
    assert ok("trusted_keys", {**MINIMAL["trusted_keys"], "orgs": ["all"]})["orgs"] == ["all"]
    problems = errors("trusted_keys", {**MINIMAL["trusted_keys"], "public_key": "QUJD"})
    assert "公開鍵" in problems["public_key"]
    assert "一つ以上" in errors("trusted_keys", {**MINIMAL["trusted_keys"], "orgs": []})["orgs"]
    assert "tokyo" in errors("trusted_keys", {**MINIMAL["trusted_keys"], "orgs": ["tokyo"]})["orgs"]
