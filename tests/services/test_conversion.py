"""An event that was really a field trial becomes a trial: one transaction, the KPI effect
previewed exactly, links kept, and refused (nothing written) where it cannot be done."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from helpers import code
from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import conversion, events, matchings, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.tally import tally
from jcim_desktop.store.models import MODELS, AuditEntry


def _event(ctx: AppContext, title: str, *, lg: tuple[str, ...] = ("福山市",), held: dt.date | None = dt.date(2024, 10, 10),
           event_type: str = "other", counts_as_forum: bool = False, **extra: object) -> records.Record:
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": events.planned_from_text("未定 (10月)", 2024),
        "status": "held" if held else "planned",
        "held_from": held.isoformat() if held else None, "held_to": held.isoformat() if held else None,
        "lg_codes": [code(n) for n in lg], "counts_as_forum": counts_as_forum, **extra,
    })


def _owner_figures(ctx: AppContext, fy: int = 2024) -> dict[str, int]:
    kpis = tally(ctx, fy)["kpis"]
    return {k: v["by_org"]["chugoku"] for k, v in kpis.items() if "by_org" in v}


def _snapshot(ctx: AppContext) -> dict[str, tuple[int, str | None]]:
    with ctx.reading() as session:
        out = {entity: (int(session.scalar(select(func.count()).select_from(model)) or 0),
                        session.scalar(select(func.max(model.hlc)))) for entity, model in MODELS.items()}
        out["audit"] = (int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0), None)
    return out


def test_a_held_event_of_fy2024_moves_the_figures_as_previewed(forum: AppContext) -> None:
    # Another record keeps 福山市 among the supported municipalities; 三原市 only this event reaches.
    _event(forum, "中国フォーラム総会", lg=("福山市",), event_type="forum", counts_as_forum=True,
           held=dt.date(2024, 6, 1))
    event = _event(forum, "第13回実証試験（福山市）", lg=("福山市", "三原市"), event_type="forum", counts_as_forum=True,
                   series_no=None, description="ピッチで扱ったシーズの現場試験施工", venue="福山市内の市道", participants=12)
    before = _owner_figures(forum)
    snapshot = _snapshot(forum)

    effect = conversion.conversion_effect(forum, event.id, lg_code=code("福山市"))
    assert effect == {
        "supported_municipalities": (before["supported_municipalities"], before["supported_municipalities"] - 1),
        "forums_held": (2, 1),
        "field_trials": (0, 1),
        "matching_total": (before["matching_total"], before["matching_total"] + 1),
    }
    assert _snapshot(forum) == snapshot  # the preview wrote nothing

    converted = conversion.convert_event_to_trial(forum, event.id, lg_code=code("福山市"))
    after = _owner_figures(forum)
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == effect

    gone = records.get(forum, "events", event.id, include_deleted=True)
    assert gone.deleted
    with pytest.raises(UserError):
        records.get(forum, "events", event.id)
    trial = records.get(forum, "trials", converted.trial.id)
    assert trial.owner == "chugoku"
    assert (trial["title"], trial["series_no"], trial["lg_code"], trial["status"]) == (
        "第13回実証試験（福山市）", 13, code("福山市"), "held")
    assert (trial["held_from"], trial["held_to"], trial["planned"]) == ("2024-10-10", "2024-10-10", event["planned"])
    assert trial["result"] == "内容: ピッチで扱ったシーズの現場試験施工\n会場: 福山市内の市道\n参加者数: 12人"
    assert converted.changes.touches("events") and converted.changes.touches("trials") and converted.changes.kpis
    assert {event.id, trial.id} <= converted.changes.ids
    assert [e["action"] for e in records.audit_trail(forum, "events", event.id)][-1] == "delete"
    assert [e["action"] for e in records.audit_trail(forum, "trials", trial.id)] == ["create"]


def test_the_only_local_government_is_taken_and_none_or_several_ask_to_choose(forum: AppContext) -> None:
    one = _event(forum, "現場試行", lg=("尾道市",))
    assert conversion.convert_event_to_trial(forum, one.id).trial["lg_code"] == code("尾道市")

    several = _event(forum, "第2回実証試験", lg=("福山市", "呉市"))
    none = _event(forum, "第3回実証試験", lg=(), held=None)
    snapshot = _snapshot(forum)
    with pytest.raises(ValidationError) as info:
        conversion.convert_event_to_trial(forum, several.id)
    assert info.value.errors == {"lg_code": "この行事には参加・支援した自治体が 2 つあります。実証実験を行った自治体を1つ選んでください。"}
    with pytest.raises(ValidationError) as info:
        conversion.conversion_effect(forum, none.id)
    assert "自治体を選んでください" in info.value.errors["lg_code"]
    assert _snapshot(forum) == snapshot
    planned = conversion.convert_event_to_trial(forum, none.id, lg_code=code("呉市")).trial
    assert (planned["status"], planned["held_from"], planned["lg_code"]) == ("planned", None, code("呉市"))


def test_a_planned_event_moves_no_figure(forum: AppContext) -> None:
    event = _event(forum, "第17回実証試験", held=None)
    assert conversion.conversion_effect(forum, event.id) == {}


def test_a_pitch_event_referred_to_is_refused_and_nothing_is_written(forum: AppContext) -> None:
    pitch = _event(forum, "第12回ピッチイベント（実証試験の候補）", event_type="pitch_event", counts_as_forum=True)
    need = records.create(forum, "needs", {"lg_code": code("福山市"), "title": "橋梁点検", "facility_types": ["bridge"],
                                           "requirements": "安く", "received_on": "2024-05-01", "status": "open"})
    seed = records.create(forum, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断AI", "summary": "AI",
                                           "facility_types": ["bridge"]})
    matching = matchings.create_matching(forum, need.id, seed.id, considered_on=dt.date(2024, 11, 1))
    records.update(forum, "matchings", matching.id, {"pitch_event_id": pitch.id})
    snapshot = _snapshot(forum)
    for attempt in (conversion.conversion_effect, conversion.convert_event_to_trial):
        with pytest.raises(UserError) as info:
            attempt(forum, pitch.id)
        assert info.value.message == (
            "「第12回ピッチイベント（実証試験の候補）」は マッチング 1 件 からピッチイベントとして参照されているため、"
            "実証実験に変えられません。ピッチイベントはそのまま残し、実証実験は別に登録してください。"
        )
    assert _snapshot(forum) == snapshot
    assert not records.get(forum, "events", pitch.id).deleted


def test_another_organisations_event_cannot_be_converted(forum: AppContext, secretariat: AppContext) -> None:
    from helpers import transfer

    event = _event(forum, "第1回実証試験")
    transfer(forum, secretariat)
    with pytest.raises(UserError):
        conversion.convert_event_to_trial(secretariat, event.id)
    assert not records.get(secretariat, "events", event.id).deleted
    assert records.count_records(secretariat, "trials") == 0


def test_create_together_writes_all_or_nothing(forum: AppContext) -> None:
    event = {"title": "勉強会", "event_type": "workshop", "planned": events.planned_from_text("7月", 2024),
             "status": "planned", "lg_codes": [], "counts_as_forum": True}
    trial = {"title": "実証試験", "planned": events.planned_from_text("8月", 2024), "status": "planned",
             "lg_code": code("福山市")}
    with pytest.raises(ValidationError) as info:
        conversion.create_together(forum, [("events", event), ("trials", {**trial, "lg_code": None})])
    assert list(info.value.errors) == ["2件目 lg_code"]
    assert records.count_records(forum, "events") == 0
    written = conversion.create_together(forum, [("events", event), ("trials", trial)])
    assert [r.entity for r in written] == ["events", "trials"] and all(r.owner == "chugoku" for r in written)
