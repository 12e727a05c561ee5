"""受信状況 (``received``, SYNC_FORMAT §6): real packages exported at forum laptops, imported at the
secretariat, and the board's JSON worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from handmade import key_of, write
from helpers import bridge_need, held_event
from jcim_desktop.domain.orgs import ORG_CODES
from jcim_desktop.services import sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.received import RECEIVED_PACKAGES, missing_ranges, package_fiscal_year, received
from jcim_desktop.sync import package as package_writer

JST = dt.timezone(dt.timedelta(hours=9))


def at(text: str) -> dt.datetime:
    """A moment in Japan time: ``at("2024-07-01 09:30")``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=JST)


def export_at(monkeypatch: pytest.MonkeyPatch, ctx: AppContext, path: Path, when: dt.datetime) -> Path:
    """Export a package as the laptop would, as if written at ``when`` (the manifest's created_at)."""
    real = package_writer.write_package
    monkeypatch.setattr(sync, "write_package", lambda *a, **k: real(*a, **{**k, "created_at": when}))
    try:
        return sync.export_package(ctx, path).path
    finally:
        monkeypatch.setattr(sync, "write_package", real)


def accept(ctx: AppContext, *paths: Path) -> list[sync.ImportOutcome]:
    outcomes = sync.import_packages(ctx, list(paths))
    assert [o.status for o in outcomes] == ["accepted"] * len(paths), [o.reason for o in outcomes]
    return outcomes


def org_entry(result: dict[str, Any], org: str) -> dict[str, Any]:
    (entry,) = [e for e in result["orgs"] if e["org"] == org]
    return entry


@pytest.fixture
def network(make_ctx, secretariat, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """中国フォーラム's laptop sends packages 1, 2 and 4 of FY2024 (3 is lost on the way); 関東
    フォーラム's first laptop sends 1 on the last evening of FY2023 and 2 just after midnight,
    the first minutes of FY2024; its second laptop sends 1 in the autumn."""
    chugoku = make_ctx("chugoku")
    kanto1, kanto2 = make_ctx("kanto", "kanto1"), make_ctx("kanto", "kanto2")
    sync.add_trust(secretariat, chugoku.public_key, ["chugoku"])
    sync.add_trust(secretariat, kanto1.public_key, ["kanto"])
    sync.add_trust(secretariat, kanto2.public_key, ["kanto"])
    out = tmp_path / "packages"
    out.mkdir()

    held_event(chugoku, "中国フォーラム総会", dt.date(2024, 6, 1), ("福山市",))
    c1 = export_at(monkeypatch, chugoku, out / "c1.jcimsync", at("2024-05-10 09:30"))
    bridge_need(chugoku, "呉市", dt.date(2024, 7, 1))
    c2 = export_at(monkeypatch, chugoku, out / "c2.jcimsync", at("2024-07-01 17:00"))
    export_at(monkeypatch, chugoku, out / "c3.jcimsync", at("2024-09-02 10:00"))  # never arrives
    held_event(chugoku, "出前授業（尾道）", dt.date(2024, 9, 1), ("尾道市",), event_type="outreach_class", forum=False)
    c4 = export_at(monkeypatch, chugoku, out / "c4.jcimsync", at("2024-11-20 15:45"))

    k1 = export_at(monkeypatch, kanto1, out / "k1.jcimsync", at("2024-03-31 23:30"))  # FY2023
    bridge_need(kanto1, "横浜市", dt.date(2024, 4, 1))
    k2 = export_at(monkeypatch, kanto1, out / "k2.jcimsync", at("2024-04-01 00:30"))  # FY2024
    held_event(kanto2, "関東フォーラム セミナー", dt.date(2024, 10, 1), ("横浜市",), event_type="seminar", forum=False)
    k2_1 = export_at(monkeypatch, kanto2, out / "k2-1.jcimsync", at("2024-10-05 12:00"))

    # Arrival order is not sequence order: 4 comes before 2.
    accept(secretariat, c1, c4, k1, c2, k2, k2_1)
    return {"chugoku": chugoku, "kanto1": kanto1, "kanto2": kanto2, "c4": c4, "k2": k2, "out": out}


def test_each_org_with_its_laptops_last_package_and_the_lost_number(network, secretariat):
    chugoku, kanto1, kanto2 = network["chugoku"], network["kanto1"], network["kanto2"]
    result = received(secretariat, 2024)
    assert result["fiscal_year"] == 2024
    assert [e["org"] for e in result["orgs"]] == list(ORG_CODES)  # every org of §1, in its table order

    (laptop,) = org_entry(result, "chugoku")["installations"]
    c4 = package_writer.read_package(network["c4"]).manifest
    assert org_entry(result, "chugoku")["received"] is True
    assert laptop["installation"] == chugoku.installation_id
    assert laptop["key_id"] == sync.key_id(chugoku.public_key)
    assert laptop["packages"] == 3 and laptop["first_sequence"] == 1
    assert laptop["missing_sequences"] == [3] and laptop["missing_count"] == 1
    last = laptop["last_package"]
    assert last["package_id"] == c4.package_id and last["sequence"] == 4
    assert last["created_at"] == c4.created_at  # as the manifest says it
    assert dt.datetime.fromisoformat(last["created_at"]) == at("2024-11-20 15:45")
    assert dt.datetime.fromisoformat(last["received_at"]).tzinfo is not None
    # Package 4 carries everything the laptop holds: two events and one need.
    assert last["records"] == 3 and last["counts"] == {"events": 2, "needs": 1}

    first, second = org_entry(result, "kanto")["installations"]  # in the order first heard from
    assert first["installation"] == kanto1.installation_id and second["installation"] == kanto2.installation_id
    # Package 1 (the evening of 2024-03-31) belongs to FY2023; package 2 (00:30 on 04-01) to FY2024.
    assert first["packages"] == 1 and first["first_sequence"] == 1 and first["missing_sequences"] == []
    assert first["last_package"]["sequence"] == 2 and first["last_package"]["counts"] == {"needs": 1}
    assert second["packages"] == 1 and second["last_package"]["sequence"] == 1
    assert second["last_package"]["counts"] == {"events": 1} and second["key_id"] == sync.key_id(kanto2.public_key)

    # The secretariat sends itself nothing: it is neither received nor missing.
    assert org_entry(result, "secretariat") == {"org": "secretariat", "received": False, "installations": []}
    assert result["missing"] == [o for o in ORG_CODES if o not in ("chugoku", "kanto", "secretariat")]
    assert org_entry(result, "hokkaido") == {"org": "hokkaido", "received": False, "installations": []}
    json.dumps(result)  # what the command prints


def test_a_package_of_fy2023_counts_in_fy2023_only(network, secretariat):
    fy2023 = received(secretariat, 2023)
    (laptop,) = org_entry(fy2023, "kanto")["installations"]
    assert laptop["installation"] == network["kanto1"].installation_id
    assert laptop["packages"] == 1 and laptop["last_package"]["sequence"] == 1
    assert laptop["last_package"]["records"] == 0 and laptop["last_package"]["counts"] == {}
    assert "chugoku" in fy2023["missing"] and "kanto" not in fy2023["missing"]
    # Nothing yet in FY2025: every org but this installation's own is missing.
    assert received(secretariat, 2025)["missing"] == [o for o in ORG_CODES if o != "secretariat"]


def test_the_same_package_imported_again_counts_once_and_still_announces_itself(network, secretariat):
    before = received(secretariat, 2024)
    (again,) = accept(secretariat, network["c4"])
    assert again.counts.inserted == again.counts.updated == 0
    assert again.changes.touches(RECEIVED_PACKAGES)  # the board refreshes though no record changed
    assert received(secretariat, 2024) == before


def test_the_lost_package_arriving_late_closes_the_gap(network, secretariat):
    accept(secretariat, network["out"] / "c3.jcimsync")
    (laptop,) = org_entry(received(secretariat, 2024), "chugoku")["installations"]
    assert laptop["packages"] == 4 and laptop["missing_sequences"] == [] and laptop["missing_count"] == 0
    assert laptop["last_package"]["sequence"] == 4


def test_a_long_gap_is_listed_up_to_100_numbers_with_the_full_count(secretariat, make_ctx, tmp_path):
    shikoku = make_ctx("shikoku")
    sync.add_trust(secretariat, shikoku.public_key, ["shikoku"])
    key = key_of(shikoku)
    for sequence, day in ((5, "2024-06-01"), (1000, "2024-12-01")):
        path = write(tmp_path / f"s{sequence}.jcimsync", key, org="shikoku", installation=shikoku.installation_id,
                     files={}, sequence=sequence,
                     manifest_over={"created_at": f"{day}T10:00:00+09:00", "package_id": str(uuid.uuid4())})
        accept(secretariat, path)
    (laptop,) = org_entry(received(secretariat, 2024), "shikoku")["installations"]
    assert laptop["first_sequence"] == 5  # numbers are counted from the lowest received
    assert laptop["missing_sequences"] == list(range(6, 106)) and laptop["missing_count"] == 994
    assert laptop["last_package"]["sequence"] == 1000 and laptop["last_package"]["created_at"] == "2024-12-01T10:00:00+09:00"


def test_a_forum_sees_the_secretariats_national_package_and_is_not_missing_itself(make_ctx, secretariat, tmp_path):
    forum = make_ctx("chugoku")
    sync.add_trust(forum, secretariat.public_key, ["*"])
    national = sync.export_package(secretariat, tmp_path / "national.jcimsync", scope="national").path
    accept(forum, national)
    own = sync.export_package(forum, tmp_path / "own.jcimsync").path
    accept(forum, own)  # its own package imported back is not "received"
    result = received(forum, package_fiscal_year(package_writer.read_package(national).manifest.created_at))
    assert org_entry(result, "secretariat")["received"] is True
    assert org_entry(result, "chugoku") == {"org": "chugoku", "received": False, "installations": []}
    assert "chugoku" not in result["missing"] and "secretariat" not in result["missing"]


@pytest.mark.parametrize(("created_at", "fy"), [
    ("2024-04-01T00:00:00+09:00", 2024),
    ("2024-03-31T23:59:59+09:00", 2023),
    ("2024-03-31T15:00:00+00:00", 2024),  # 00:00 on 04-01 in Japan
    ("2025-03-31T14:59:59+00:00", 2024),
    ("2025-03-31T15:00:00+00:00", 2025),
    ("2024-04-01T00:30:00", 2024),  # no offset: Japan time
    ("not a date", None),
])
def test_a_package_belongs_to_the_fiscal_year_of_its_day_in_japan(created_at, fy):
    assert package_fiscal_year(created_at) == fy


def test_missing_ranges_between_the_lowest_and_the_highest():
    assert missing_ranges([4, 1, 2]) == [(3, 3)]
    assert missing_ranges([7, 3, 3, 10]) == [(4, 6), (8, 9)]
    assert missing_ranges([2**53 - 1, 1]) == [(2, 2**53 - 2)]
    assert missing_ranges([]) == []
