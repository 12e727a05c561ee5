"""Record services: validation writes nothing; lists filter and search as a person expects."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from helpers import code
from jcim_desktop.errors import NotFound, ValidationError
from jcim_desktop.services import events, records
from jcim_desktop.store.models import AuditEntry, Need


def need(name: str, title: str, received: str, facility: list[str], status: str = "open") -> dict[str, object]:
    return {"lg_code": code(name), "title": title, "facility_types": facility, "requirements": "条件",
            "received_on": received, "status": status}


def test_invalid_input_raises_one_error_with_a_japanese_message_per_field_and_writes_nothing(forum):
    bad = {"lg_code": "342079", "title": "", "facility_types": ["bridge", "spaceport"], "requirements": "x",
           "received_on": "2024-13-01", "status": "open"}
    with pytest.raises(ValidationError) as caught:
        records.create(forum, "needs", bad)
    errors = caught.value.errors
    assert set(errors) >= {"lg_code", "title", "facility_types", "received_on"}
    assert "技術テーマ" in errors["title"]
    assert "342076" in errors["lg_code"]  # names the right check digit
    with forum.reading() as session:
        assert session.scalar(select(func.count()).select_from(Need)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_failed_update_leaves_the_record_as_it_was(forum):
    rec = records.create(forum, "needs", need("福山市", "橋梁点検", "2024-05-10", ["bridge"]))
    with pytest.raises(ValidationError):
        records.update(forum, "needs", rec.id, {"title": "", "status": "closed"})
    assert records.get(forum, "needs", rec.id) == rec


def test_a_matching_must_name_existing_records(forum):
    with pytest.raises(ValidationError) as caught:
        records.create(forum, "matchings", {
            "need_id": "00000000-0000-4000-8000-000000000001", "seed_id": "00000000-0000-4000-8000-000000000002",
            "stages": [{"stage": "considered", "on": "2024-05-01"}],
        })
    assert "見つかりません" in caught.value.errors["need_id"]


def test_list_filters_by_fiscal_year_status_facility_and_prefecture(forum):
    records.create(forum, "needs", need("福山市", "橋梁点検", "2024-05-10", ["bridge"]))
    records.create(forum, "needs", need("岡山市", "トンネル点検", "2025-03-31", ["tunnel"], status="resolved"))
    records.create(forum, "needs", need("広島市", "下水道管路", "2025-04-01", ["sewerage"]))

    def titles(**criteria):
        return sorted(r["title"] for r in records.list_records(forum, "needs", records.Query(**criteria)))

    assert titles(fiscal_year=2024) == ["トンネル点検", "橋梁点検"]
    assert titles(fiscal_year=2025) == ["下水道管路"]
    assert titles(status="resolved") == ["トンネル点検"]
    assert titles(facility_type="sewerage") == ["下水道管路"]
    assert titles(pref_code="34") == ["下水道管路", "橋梁点検"]
    assert titles(lg_code=code("岡山市")) == ["トンネル点検"]
    assert records.count_records(forum, "needs", records.Query(fiscal_year=2024)) == 2


@pytest.mark.parametrize("query", ["ふくやま", "フクヤマ", "ﾌｸﾔﾏ", "福山", "橋梁", "ｋｔ-230045"])
def test_search_is_insensitive_to_kana_and_width(forum, query):
    records.create(forum, "needs", need("福山市", "橋梁点検 KT-230045", "2024-05-10", ["bridge"]))
    records.create(forum, "needs", need("岡山市", "トンネル点検", "2024-05-10", ["tunnel"]))
    found = records.list_records(forum, "needs", records.Query(text=query))
    assert [r["title"] for r in found] == ["橋梁点検 KT-230045"]


def test_events_are_found_by_the_planned_text_and_sorted_by_planned_date(forum):
    for title, text in (("秋のフォーラム", "10月下旬"), ("夏のセミナー", "7月頃"), ("春の会議", "4月")):
        records.create(forum, "events", {"title": title, "event_type": "seminar", "status": "planned",
                                         "planned": events.planned_from_text(text, 2024), "lg_codes": [],
                                         "counts_as_forum": False})
    ordered = records.list_records(forum, "events", records.Query(sort="planned"))
    assert [r["title"] for r in ordered] == ["春の会議", "夏のセミナー", "秋のフォーラム"]
    assert [r["title"] for r in records.list_records(forum, "events", records.Query(text="下旬"))] == ["秋のフォーラム"]


def test_getting_a_deleted_record_says_so_in_japanese(forum):
    rec = records.create(forum, "needs", need("福山市", "橋梁点検", "2024-05-10", ["bridge"]))
    records.delete(forum, "needs", rec.id)
    with pytest.raises(NotFound, match="見つかりません"):
        records.get(forum, "needs", rec.id)
