"""複製: what a copy keeps and what it starts afresh, so that a copy never counts twice (``services.copies``)."""

from __future__ import annotations

import pytest

from helpers import code
from jcim_desktop.domain.dates import parse_planned
from jcim_desktop.errors import NotFound
from jcim_desktop.services import copies, records, tally


def _held_forum(ctx):
    return records.create(ctx, "events", {
        "title": "インフラメンテナンスフォーラム", "event_type": "forum", "planned": parse_planned("7月頃", 2024).to_dict(),
        "status": "held", "held_from": "2024-07-10", "held_to": "2024-07-11", "lg_codes": [code("福山市")],
        "participants": 120, "counts_as_forum": True, "venue": "福山市民会館",
    })


def test_a_copy_of_a_held_event_is_the_same_activity_planned_again(forum):
    original = _held_forum(forum)
    template = copies.copy_template(forum, "events", original.id)
    assert template["status"] == "planned"
    assert template["held_from"] is None and template["held_to"] is None and template["participants"] is None
    # What describes the activity stays.
    for name in ("title", "event_type", "planned", "lg_codes", "venue", "counts_as_forum"):
        assert template[name] == original.data[name], name


def test_a_saved_copy_does_not_count_twice(forum):
    original = _held_forum(forum)
    before = tally.tally(forum, 2024)["kpis"]["forums_held"]["total"]
    records.create(forum, "events", copies.copy_template(forum, "events", original.id))
    assert tally.tally(forum, 2024)["kpis"]["forums_held"]["total"] == before == 1


def test_a_trial_copy_drops_its_result(forum):
    trial = records.create(forum, "trials", {
        "title": "ドローン橋梁点検の現場試行", "lg_code": code("福山市"), "planned": parse_planned("第2四半期", 2024).to_dict(),
        "status": "held", "held_from": "2024-08-01", "held_to": "2024-08-01", "result": "点検時間を半減",
    })
    template = copies.copy_template(forum, "trials", trial.id)
    assert template["status"] == "planned" and template["result"] is None and template["held_from"] is None
    assert template["title"] == "ドローン橋梁点検の現場試行" and template["lg_code"] == code("福山市")


def test_other_records_are_copied_as_they_are(forum):
    data = {"lg_code": code("福山市"), "title": "橋梁点検の効率化", "facility_types": ["bridge", "road"],
            "requirements": "費用を抑えて", "received_on": "2024-07-10", "status": "resolved"}
    need = records.create(forum, "needs", data)
    assert copies.copy_template(forum, "needs", need.id) == records.get(forum, "needs", need.id).data
    assert copies.copy_data("needs", {"status": "resolved"}) == {"status": "resolved"}


def test_a_record_gone_meanwhile_cannot_be_copied(forum):
    original = _held_forum(forum)
    records.delete(forum, "events", original.id)
    with pytest.raises(NotFound):
        copies.copy_template(forum, "events", original.id)
