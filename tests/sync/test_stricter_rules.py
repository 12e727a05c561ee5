"""SYNC_FORMAT §2 "Stricter rules (version 1, clarified)" and the includes_contacts rule, through import.

Every hostile package is written by hand (tests/handmade.py) and signed with a key the
secretariat trusts; each rejection must leave the database unchanged in content and say, in
Japanese, what is wrong and with which record.
"""

from __future__ import annotations

import json
import re
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from handmade import envelope, key_of, line, newer, write
from helpers import code, content
from jcim_desktop import cli
from jcim_desktop.domain.versioning import HlcStamp
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import open_app
from jcim_desktop.services.tally import tally

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
NOW_MS = time.time_ns() // 1_000_000


def need_data(title: str = "橋梁点検の省力化", **over: object) -> dict:
    data = {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"], "requirements": "安価に",
            "received_on": "2024-05-10", "status": "open"}
    data.update(over)
    return data


@pytest.fixture
def world(make_ctx, tmp_path):
    """中国 and 近畿 forums; a secretariat that trusts both (each for its own org) and holds both's records."""
    chugoku, kinki, secretariat = make_ctx("chugoku"), make_ctx("kinki"), make_ctx("secretariat")
    records.create(chugoku, "needs", need_data(contact={"name": "福山 太郎", "email": "taro@example.jp"}))
    records.create(chugoku, "events", {"title": "中国フォーラム総会", "event_type": "forum", "status": "held",
                                       "planned": {"text": "6月", "start": "2024-06-01", "end": "2024-06-30",
                                                   "precision": "month", "tentative": False},
                                       "held_from": "2024-06-10", "lg_codes": [code("呉市")],
                                       "counts_as_forum": True})
    records.create(kinki, "needs", need_data("下水道管路の点検", lg_code=code("京都市"), facility_types=["sewerage"]))
    sync.add_trust(secretariat, chugoku.public_key, ["chugoku"])
    sync.add_trust(secretariat, kinki.public_key, ["kinki"])
    packages = [sync.export_package(ctx, tmp_path / f"{ctx.org}-1.jcimsync", include_contacts=True).path
                for ctx in (chugoku, kinki)]
    assert [o.status for o in sync.import_packages(secretariat, packages)] == ["accepted", "accepted"]
    return chugoku, kinki, secretariat


def stored(ctx, entity: str) -> list:
    return records.list_records(ctx, entity, records.Query(include_deleted=True))


def refused(ctx, path: Path, code_: str) -> str:
    """Import ``path``: it must be rejected with ``code_`` and change nothing; returns the reason."""
    before, before_tally = content(ctx), tally(ctx, 2024)
    (outcome,) = sync.import_packages(ctx, [path])
    assert outcome.status == "rejected", outcome
    assert outcome.code == code_, (outcome.code, outcome.reason)
    assert outcome.reason and JAPANESE.search(outcome.reason), outcome.reason
    assert "Traceback" not in outcome.reason and "予期しない" not in outcome.reason
    assert content(ctx) == before
    assert tally(ctx, 2024) == before_tally
    return outcome.reason


def accepted(ctx, path: Path):
    (outcome,) = sync.import_packages(ctx, [path])
    assert outcome.status == "accepted", outcome.reason
    return outcome


def send(tmp_path, sender, files, name="p", **kw) -> Path:
    """A package signed by ``sender``'s own key, from its own installation."""
    return write(tmp_path / f"{name}.jcimsync", key_of(sender), org=sender.org, installation=sender.installation_id,
                 files=files, **kw)


# Owners never change ---------------------------------------------------------------------------------

def test_a_forum_cannot_take_over_another_forums_record(world, tmp_path):
    chugoku, kinki, secretariat = world
    theirs = next(r for r in stored(secretariat, "needs") if r.owner == "kinki")
    hijacked = newer(envelope(theirs), chugoku.installation_id, NOW_MS, title="書き換えた")
    hijacked["owner"] = "chugoku"
    reason = refused(secretariat, send(tmp_path, chugoku, {"needs": [hijacked]}), "owner_change")
    assert theirs.id in reason and "近畿フォーラム" in reason and "中国フォーラム" in reason
    assert records.get(secretariat, "needs", theirs.id)["title"] == "下水道管路の点検"


def test_a_forum_cannot_delete_another_forums_record(world, tmp_path):
    chugoku, _kinki, secretariat = world
    theirs = next(r for r in stored(secretariat, "needs") if r.owner == "kinki")
    tombstone = {**newer(envelope(theirs), chugoku.installation_id, NOW_MS), "owner": "chugoku", "deleted": True,
                 "data": {}}
    refused(secretariat, send(tmp_path, chugoku, {"needs": [tombstone]}), "owner_change")
    assert not records.get(secretariat, "needs", theirs.id).deleted


def test_an_id_stored_as_another_kind_of_record_is_refused(world, tmp_path):
    chugoku, _kinki, secretariat = world
    theirs = next(r for r in stored(secretariat, "needs") if r.owner == "kinki")
    ours = next(r for r in stored(secretariat, "needs") if r.owner == "chugoku")
    event = envelope(stored(chugoku, "events")[0])
    # Another forum's need id as our event: an owner change in disguise.
    reason = refused(secretariat, send(tmp_path, chugoku, {"events": [{**event, "id": theirs.id}]}), "owner_change")
    assert theirs.id in reason
    # Our own need id reused for an event: one id names one record.
    reused = send(tmp_path, chugoku, {"events": [{**event, "id": ours.id}]}, name="q")
    reason = refused(secretariat, reused, "id_kind_change")
    assert ours.id in reason and "自治体ニーズ" in reason
    # The window's preview (a merge that writes nothing) refuses it the same way.
    with pytest.raises(sync.PackageRejected) as caught:
        sync.preview_import(secretariat, sync.check_package(secretariat, reused))
    assert caught.value.code == "id_kind_change"


def test_local_edits_and_resolutions_keep_the_owner(world):
    chugoku, _kinki, secretariat = world
    ours = stored(chugoku, "needs")[0]
    records.update(chugoku, "needs", ours.id, {"title": "変更"})
    assert records.get(chugoku, "needs", ours.id).owner == "chugoku"
    with pytest.raises(sync.PermissionDenied):
        sync.resolve_conflict(secretariat, "needs", ours.id, {"title": "事務局が解決"})


# Canonical identifiers ----------------------------------------------------------------------------------

def test_an_upper_case_copy_of_an_existing_id_is_refused(world, tmp_path):
    chugoku, _kinki, secretariat = world
    ours = next(r for r in stored(secretariat, "needs") if r.owner == "chugoku")
    copy = {**envelope(ours), "id": ours.id.upper()}
    reason = refused(secretariat, send(tmp_path, chugoku, {"needs": [copy]}), "bad_record")
    assert ours.id.upper() in reason and "小文字" in reason
    assert tally(secretariat, 2024)["kpis"]["supported_municipalities"]["by_org"]["chugoku"] == 2


@pytest.mark.parametrize("where", ["reference", "hlc", "vv", "origin"])
def test_ids_everywhere_must_be_canonical(world, tmp_path, where):
    chugoku, _kinki, secretariat = world
    need = envelope(stored(chugoku, "needs")[0])
    node = chugoku.installation_id
    files: dict = {"needs": [need]}
    over: dict = {}
    if where == "reference":
        seed = records.create(chugoku, "seeds", {"company": "(株)点検", "tech_name": "ドローン", "summary": "空撮",
                                                 "facility_types": ["bridge"]})
        matching = {"id": str(uuid.uuid4()), "owner": "chugoku", "hlc": f"{NOW_MS:013d}-00000-{node}",
                    "vv": {node: 1}, "deleted": False,
                    "data": {"need_id": need["id"].upper(), "seed_id": seed.id, "pitch_event_id": None,
                             "stages": [{"stage": "considered", "on": "2024-07-01"}]}}
        files = {"needs": [need], "seeds": [envelope(seed)], "matchings": [matching]}
        code_ = "invalid_record"
    elif where == "hlc":
        files = {"needs": [{**need, "hlc": need["hlc"][:20] + node.upper()}]}
        code_ = "bad_record"
    elif where == "vv":
        files = {"needs": [{**need, "vv": {node.upper(): 1}}]}
        code_ = "bad_record"
    else:
        over = {"origin": {"org": "chugoku", "installation": node.upper(), "app_version": "1"}}
        code_ = "bad_manifest"
    reason = refused(secretariat, send(tmp_path, chugoku, files, manifest_over=over), code_)
    assert "UUID" in reason


def test_the_same_id_in_two_files_is_refused(world, tmp_path):
    chugoku, _kinki, secretariat = world
    need = envelope(stored(chugoku, "needs")[0])
    event = envelope(stored(chugoku, "events")[0])
    reason = refused(secretariat, send(tmp_path, chugoku, {"needs": [need], "events": [{**event, "id": need["id"]}]}),
                     "duplicate_id")
    assert need["id"] in reason


# One key per installation --------------------------------------------------------------------------------

def test_an_installation_that_changes_key_is_refused(world, tmp_path, make_ctx):
    chugoku, _kinki, secretariat = world
    laptop2 = make_ctx("chugoku", name="chugoku2")
    sync.add_trust(secretariat, laptop2.public_key, ["chugoku"])
    # laptop2's key is trusted, but it signs a package claiming to come from the first laptop.
    need = envelope(stored(chugoku, "needs")[0])
    forged = write(tmp_path / "forged.jcimsync", key_of(laptop2), org="chugoku", installation=chugoku.installation_id,
                   files={"needs": [newer(need, chugoku.installation_id, NOW_MS, title="なりすまし")]}, sequence=9)
    reason = refused(secretariat, forged, "installation_key_changed")
    assert chugoku.installation_id in reason and "鍵ID" in reason
    # The binding survives a restart, and laptop2's own packages are fine.
    secretariat.close()
    again = open_app(secretariat.data_dir)
    try:
        refused(again, forged, "installation_key_changed")
        accepted(again, sync.export_package(laptop2, tmp_path / "laptop2.jcimsync").path)
    finally:
        again.close()


def test_a_package_claiming_to_be_this_installation_is_refused(world, tmp_path):
    chugoku, _kinki, secretariat = world
    need = envelope(stored(chugoku, "needs")[0])
    forged = write(tmp_path / "me.jcimsync", key_of(chugoku), org="chugoku", installation=secretariat.installation_id,
                   files={"needs": [need]})
    refused(secretariat, forged, "installation_key_changed")


# Clocks ----------------------------------------------------------------------------------------------------

def test_a_clock_from_the_future_is_refused_and_the_local_clock_stays_bounded(world, tmp_path):
    chugoku, _kinki, secretariat = world
    need = envelope(stored(chugoku, "needs")[0])
    poisoned = {**newer(need, chugoku.installation_id, NOW_MS), "hlc": f"9999999999999-99999-{chugoku.installation_id}"}
    reason = refused(secretariat, send(tmp_path, chugoku, {"needs": [poisoned]}), "clock_ahead")
    assert chugoku.installation_id in reason and "中国フォーラム" in reason and "進んでいます" in reason

    # 23 hours ahead is accepted; the clock follows it but never past wall clock + 24 h, and
    # the next local edit still gets a 13-digit stamp and exports.
    ahead = NOW_MS + 23 * 3600 * 1000
    accepted(secretariat, send(tmp_path, chugoku, {"needs": [newer(need, chugoku.installation_id, ahead)]}, name="a"))
    target = records.create(secretariat, "kpi_targets", {"fiscal_year": 2024, "kpi": "forums_held", "target": 50})
    stamp = HlcStamp.parse(target.hlc)
    limit = time.time_ns() // 1_000_000 + 24 * 3600 * 1000  # the bound, read after the stamp was made
    assert len(target.hlc.split("-")[0]) == 13 and ahead <= stamp.millis <= limit
    assert sync.export_package(secretariat, tmp_path / "out.jcimsync", scope="national").total > 0


def test_a_clock_poisoned_by_an_earlier_version_is_healed_on_open(world, tmp_path):
    _chugoku, _kinki, secretariat = world
    with secretariat.db.engine.begin() as conn:
        conn.execute(text("UPDATE installation SET hlc_last = :last WHERE id = :id"),
                     {"last": f"9999999999999-99999-{secretariat.installation_id}", "id": secretariat.installation_id})
    secretariat.close()
    again = open_app(secretariat.data_dir)
    try:
        target = records.create(again, "kpi_targets", {"fiscal_year": 2024, "kpi": "forums_held", "target": 50})
        assert len(target.hlc) == len(f"{NOW_MS:013d}-00000-{again.installation_id}")
        assert sync.export_package(again, tmp_path / "healed.jcimsync", scope="national").total > 0
    finally:
        again.close()


# Numbers and text ------------------------------------------------------------------------------------------

def _event_with(chugoku, **data_over) -> dict:
    event = envelope(stored(chugoku, "events")[0])
    return {**event, "data": {**event["data"], **data_over}}


@pytest.mark.parametrize(("case", "code_", "field"), [
    ("series_no 2^63", "invalid_record", "series_no"),
    ("series_no 2^53", "invalid_record", "series_no"),
    ("series_no written 3.0", "invalid_record", "series_no"),
    ("series_no written 3e0", "invalid_record", "series_no"),
    ("participants negative", "invalid_record", "participants"),
    ("unknown field 2^64", "invalid_record", "future_count"),
    ("unknown field negative", "invalid_record", "future_count"),
    ("unknown field NaN", "bad_record", None),
    ("unknown field Infinity", "bad_record", None),
    ("vv counter 2^53", "bad_record", "vv"),
    ("vv counter 0", "bad_record", "vv"),
    ("lone surrogate in the title", "bad_record", "data.title"),
    ("NUL in the title", "bad_record", "data.title"),
    ("1 MiB title", "bad_record", None),
    ("title of 100,001 characters", "bad_record", "data.title"),
    ("duplicate key in a record", "bad_record", "title"),
])
def test_numbers_and_text_outside_the_limits_are_refused(world, tmp_path, case, code_, field):
    chugoku, _kinki, secretariat = world
    event = _event_with(chugoku)
    raw: bytes | None = None
    if case.startswith("series_no 2^"):
        event["data"]["series_no"] = 2 ** int(case[-2:])
    elif case.startswith("series_no written"):
        event["data"]["series_no"] = 3
        raw = line(event).replace(b'"series_no":3', b'"series_no":' + case.split()[-1].encode())
    elif case == "participants negative":
        event["data"]["participants"] = -5
    elif case == "unknown field 2^64":
        event["data"]["future_count"] = 2**64
    elif case == "unknown field negative":
        event["data"]["future_count"] = -1
    elif case.startswith("unknown field "):
        event["data"]["future_count"] = 1
        raw = line(event).replace(b'"future_count":1', b'"future_count":' + case.split()[-1].encode())
    elif case.startswith("vv counter"):
        event["vv"] = {chugoku.installation_id: 2**53 if case.endswith("2^53") else 0}
    elif case == "lone surrogate in the title":
        event["data"]["title"] = "X"
        raw = line(event).replace(b'"title":"X"', b'"title":"\\ud800"')
    elif case == "NUL in the title":
        event["data"]["title"] = "中国\u0000フォーラム"
    elif case == "1 MiB title":
        event["data"]["title"] = "".join(uuid.uuid4().hex for _ in range(1024 * 1024 // 32 + 1))
    elif case == "title of 100,001 characters":
        event["data"]["title"] = "".join(uuid.uuid4().hex for _ in range(3200))[:100_001]
    elif case == "duplicate key in a record":
        raw = line(event).replace(b'"title":', b'"title":"x","title":', 1)
    reason = refused(secretariat, send(tmp_path, chugoku, {"events": [raw if raw is not None else event]}), code_)
    assert event["id"] in reason, reason
    if field:
        assert field in reason, reason


@pytest.mark.parametrize("case", ["sequence 2^53", "sequence -1", "sequence 1.0", "duplicate key", "NUL",
                                  "lone surrogate"])
def test_a_manifest_outside_the_limits_is_refused(world, tmp_path, case):
    chugoku, _kinki, secretariat = world
    files = {"needs": [envelope(stored(chugoku, "needs")[0])]}
    over: dict = {}
    text = None
    if case == "sequence 2^53":
        over = {"sequence": 2**53}
    elif case == "sequence -1":
        over = {"sequence": -1}
    elif case in ("sequence 1.0", "duplicate key", "NUL", "lone surrogate"):
        probe = tmp_path / "probe.jcimsync"
        send(tmp_path, chugoku, files, name="probe", manifest_over={"sequence": 7, "note": "X"})
        with zipfile.ZipFile(probe) as zf:
            text = zf.read("manifest.json")
        text = {"sequence 1.0": text.replace(b'"sequence": 7', b'"sequence": 7.0'),
                "duplicate key": text.replace(b'"sequence": 7', b'"sequence": 7, "sequence": 1'),
                "NUL": text.replace(b'"note": "X"', b'"note": "\\u0000"'),
                "lone surrogate": text.replace(b'"note": "X"', b'"note": "\\udc00"')}[case]
    reason = refused(secretariat, send(tmp_path, chugoku, files, manifest_over=over, manifest_text=text),
                     "bad_manifest")
    assert "manifest.json" in reason


def test_a_huge_sequence_number_is_kept_small(world, tmp_path, postgres, request):
    chugoku, _kinki, secretariat = world
    need = envelope(stored(chugoku, "needs")[0])
    accepted(secretariat, send(tmp_path, chugoku, {"needs": [need]}, sequence=2**40))
    log = next(item for item in sync.received_log(secretariat) if item.installation == chugoku.installation_id)
    assert log.last_sequence == 2**40
    assert log.missing == ((2, 2**40 - 1),) and log.missing_count == 2**40 - 2


def test_sequence_gaps_are_ranges():
    assert sync.sequence_gaps([1, 2, 5, 9, 9, 10]) == ((3, 4), (6, 8))
    assert sync.sequence_gaps([3]) == ((1, 2),)
    assert sync.sequence_gaps([0, 1]) == ()
    assert sync.sequence_gaps([2**53 - 1]) == ((1, 2**53 - 2),)


# Forward compatibility ---------------------------------------------------------------------------------------

FUTURE = {"co_hosts": ["kinki", "shikoku"], "evaluation": {"score": 4.5, "comments": ["良い", "🎌 ok"], "n": 12},
          "future_flag": True, "future_note": None}


def test_unknown_fields_are_kept_and_written_back_unchanged(world, tmp_path):
    chugoku, _kinki, secretariat = world
    event = _event_with(chugoku, **FUTURE)
    event = {**newer(event, chugoku.installation_id, NOW_MS), "by": "山田 花子", "signature_v2": {"alg": "x"}}
    photo = {"id": str(uuid.uuid4()), "owner": "chugoku", "hlc": f"{NOW_MS:013d}-00000-{chugoku.installation_id}",
             "vv": {chugoku.installation_id: 1}, "deleted": False, "data": {"event_id": event["id"], "jpeg": "…"}}
    package = send(tmp_path, chugoku, {"events": [event], "site_photos": [photo]},
                   manifest_over={"compression_hint": "zstd", "future_list": [1, 2]})
    accepted(secretariat, package)
    assert "future_flag" not in records.get(secretariat, "events", event["id"]).data  # not shown as data

    # The secretariat edits its own record of a later version too: unknown fields survive the edit.
    national = sync.export_package(secretariat, tmp_path / "national.jcimsync", scope="national").path
    with zipfile.ZipFile(national) as zf:
        lines = [json.loads(x) for x in zf.read("records/events.jsonl").splitlines()]
    exported = next(x for x in lines if x["id"] == event["id"])
    for name, value in FUTURE.items():
        assert name in exported["data"]
        assert json.dumps(exported["data"][name], ensure_ascii=False) == json.dumps(value, ensure_ascii=False)
    assert "signature_v2" not in exported  # unknown envelope fields are ignored
    assert exported["by"] == "山田 花子"  # ``by`` (§4, a later revision's field) is kept and sent on

    # And they travel on: a forum receiving the national package writes them out again.
    sync.add_trust(chugoku, secretariat.public_key, ["*"])
    accepted(chugoku, national)
    again = sync.export_package(chugoku, tmp_path / "again.jcimsync").path
    with zipfile.ZipFile(again) as zf:
        lines = [json.loads(x) for x in zf.read("records/events.jsonl").splitlines()]
    assert next(x for x in lines if x["id"] == event["id"])["data"]["evaluation"] == FUTURE["evaluation"]


def test_unknown_fields_survive_a_local_edit(make_ctx, tmp_path):
    main, laptop2 = make_ctx("secretariat"), make_ctx("secretariat", name="sec2")
    sync.add_trust(main, laptop2.public_key, ["*"])
    target = records.create(laptop2, "kpi_targets", {"fiscal_year": 2024, "kpi": "forums_held", "target": 50})
    env = {**envelope(target), "data": {**target.data, "rationale": "R5 実績 48 件から", "weights": [0.5, 0.25]}}
    accepted(main, send(tmp_path, laptop2, {"kpi_targets": [env]}))
    records.update(main, "kpi_targets", target.id, {"target": 55})
    out = sync.export_package(main, tmp_path / "main.jcimsync", scope="national").path
    with zipfile.ZipFile(out) as zf:
        (row,) = [json.loads(x) for x in zf.read("records/kpi_targets.jsonl").splitlines()]
    assert row["data"]["target"] == 55
    assert row["data"]["rationale"] == "R5 実績 48 件から" and row["data"]["weights"] == [0.5, 0.25]


# Contacts (includes_contacts) ---------------------------------------------------------------------------------

CONTACT = {"name": "福山 太郎", "department": "土木課", "email": "taro@example.jp", "phone": "084-000-0000"}


@pytest.fixture
def two_laptops(make_ctx, tmp_path):
    """Two laptops of 中国フォーラム that trust each other and share one need with a contact."""
    a, b = make_ctx("chugoku", name="a"), make_ctx("chugoku", name="b")
    sync.add_trust(a, b.public_key, ["chugoku"])
    sync.add_trust(b, a.public_key, ["chugoku"])
    need = records.create(a, "needs", need_data(contact=CONTACT))
    accepted(b, sync.export_package(a, tmp_path / "a1.jcimsync", include_contacts=True).path)
    return a, b, need


def test_a_package_without_contacts_never_removes_a_contact(two_laptops, tmp_path):
    a, b, need = two_laptops
    records.update(b, "needs", need.id, {"status": "matching"})
    accepted(a, sync.export_package(b, tmp_path / "b1.jcimsync").path)  # without contacts
    got = records.get(a, "needs", need.id)
    assert got["status"] == "matching" and got["contact"] == CONTACT


def test_a_contact_left_out_is_not_a_difference_and_adopting_that_version_keeps_it(two_laptops, tmp_path):
    """The data-loss case of issue 9: adopting the other version erased the need's 担当者連絡先."""
    a, b, need = two_laptops
    records.update(a, "needs", need.id, {"title": "橋梁点検の省力化（A）"})
    records.update(b, "needs", need.id, {"status": "matching"})
    (outcome,) = sync.import_packages(a, [sync.export_package(b, tmp_path / "b1.jcimsync").path])
    assert outcome.counts.conflicts == 1
    (conflict,) = sync.conflicts(a)
    assert "contact" not in conflict.differing_fields()
    assert set(conflict.differing_fields()) == {"title", "status"}
    theirs = next(v for v in conflict.versions if v.data.get("status") == "matching")
    sync.resolve_conflict(a, "needs", need.id, theirs.data)
    got = records.get(a, "needs", need.id)
    assert got["contact"] == CONTACT
    assert got["status"] == "matching" and got["title"] == "橋梁点検の省力化"
    assert sync.conflicts(a) == []


def test_a_package_with_contacts_can_still_change_or_clear_them(two_laptops, tmp_path):
    a, b, need = two_laptops
    records.update(b, "needs", need.id, {"contact": None})
    accepted(a, sync.export_package(b, tmp_path / "b1.jcimsync", include_contacts=True).path)
    assert records.get(a, "needs", need.id)["contact"] is None


def test_contacts_in_a_package_that_says_it_has_none_are_ignored(two_laptops, tmp_path):
    a, b, need = two_laptops
    env = newer(envelope(records.get(b, "needs", need.id)), b.installation_id, NOW_MS,
                contact={"name": "別人", "email": "other@example.jp"})
    accepted(a, send(tmp_path, b, {"needs": [env]}, includes_contacts=False))
    assert records.get(a, "needs", need.id)["contact"] == CONTACT


# One package's failure never costs another its result -------------------------------------------------------

def test_a_bug_in_one_package_keeps_the_others_results(world, tmp_path, monkeypatch, capsys):
    chugoku, kinki, secretariat = world
    records.create(chugoku, "needs", need_data("トンネル点検"))
    records.create(kinki, "needs", need_data("河川点検", lg_code=code("京都市")))
    first = sync.export_package(chugoku, tmp_path / "c2.jcimsync").path
    second = sync.export_package(kinki, tmp_path / "k2.jcimsync").path
    bad = send(tmp_path, chugoku, {"needs": [envelope(stored(chugoku, "needs")[0])]}, name="bad", sequence=99)
    real = sync.merge_records

    def merge(conn, records_, **kw):
        batches = list(records_)  # (entity, records) batches
        if [(entity, len(batch)) for entity, batch in batches] == [("needs", 1)]:  # the package "bad" only
            raise RuntimeError("a bug")
        return real(conn, iter(batches), **kw)

    monkeypatch.setattr(sync, "merge_records", merge)
    secretariat.close()
    code_ = cli.main(["--data-dir", str(secretariat.data_dir), "import", str(first), str(bad), str(second),
                      "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code_ == 1
    assert [o["status"] for o in out] == ["accepted", "rejected", "accepted"]
    assert out[0]["inserted"] == 1 and out[2]["inserted"] == 1
    assert "予期しないエラー" in out[1]["reason"] and "他のパッケージには影響しません" in out[1]["reason"]
    assert "crash.log" in out[1]["reason"]
    assert "RuntimeError: a bug" in (secretariat.data_dir / "logs" / "crash.log").read_text(encoding="utf-8")
    again = open_app(secretariat.data_dir)
    try:
        titles = {r["title"] for r in stored(again, "needs")}
        assert {"トンネル点検", "河川点検"} <= titles
    finally:
        again.close()


@pytest.mark.sqlite_only
def test_json_has_every_packages_outcome_even_when_the_database_cannot_be_opened(world, tmp_path, capsys):
    chugoku, _kinki, secretariat = world
    package = sync.export_package(chugoku, tmp_path / "c.jcimsync").path
    secretariat.close()
    secretariat.db.path.write_bytes(b"")  # a zero-byte database file
    code_ = cli.main(["--data-dir", str(secretariat.data_dir), "import", str(package), str(package), "--format",
                      "json"])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code_ == 1
    assert [o["status"] for o in out] == ["rejected", "rejected"] and all(o["reason"] for o in out)
    assert "backup fresh" in captured.err
